/// The expert's bank account for the fee and travel expenses (謝金・旅費の振込先). Banks
/// (全銀協 transfers) take the holder's name in half-width katakana; people type full-width,
/// so it is converted, then checked against the characters a transfer accepts.
public struct BankAccount: Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case ordinary, current
        public var japaneseName: String { self == .ordinary ? "普通" : "当座" }
    }

    public var bank: String
    /// 4 digits (金融機関コード).
    public var bankCode: String
    public var branch: String
    /// 3 digits (支店コード).
    public var branchCode: String
    public var kind: Kind
    /// 7 digits (left-padded with zeros as banks print them).
    public var number: String
    /// Half-width katakana, as the bank holds it: `ｾﾝﾓﾝｶ ｼﾞﾛｳ`.
    public var holderKana: String

    public struct Input: Codable, Sendable {
        public var bank: String?
        public var bankCode: String?
        public var branch: String?
        public var branchCode: String?
        public var kind: String?
        public var number: String?
        public var holderKana: String?
        public init(bank: String?, bankCode: String?, branch: String?, branchCode: String?, kind: String?, number: String?, holderKana: String?) {
            self.bank = bank; self.bankCode = bankCode; self.branch = branch; self.branchCode = branchCode
            self.kind = kind; self.number = number; self.holderKana = holderKana
        }
    }

    public static func validate(_ input: Input) throws(ValidationFailure) -> BankAccount {
        var check = FieldChecker()
        let bank = check.required(input.bank, field: "bank", label: "金融機関名", maxLength: 60)
        let bankCode = digits(input.bankCode, count: 4, field: "bankCode", label: "金融機関コード", into: &check)
        let branch = check.required(input.branch, field: "branch", label: "支店名", maxLength: 60)
        let branchCode = digits(input.branchCode, count: 3, field: "branchCode", label: "支店コード", into: &check)
        let kind = Kind(rawValue: input.kind ?? "")
        if kind == nil { check.add(FieldError(field: "kind", code: "required", message: "預金種目を選んでください。")) }
        var number = digitsOnly(input.number ?? "")
        if number.isEmpty {
            check.add(.required("number", label: "口座番号"))
        } else if number.count > 7 || !number.allSatisfy(\.isASCIIDigit) {
            check.add(FieldError(field: "number", code: "invalid_format", message: "口座番号は7桁以内の数字で入力してください。"))
        } else {
            number = String(repeating: "0", count: 7 - number.count) + number
        }
        let typed = check.required(input.holderKana, field: "holderKana", label: "口座名義（カナ）", maxLength: 60)
        let holder = ZenginKana.halfWidth(typed)
        if !typed.isEmpty && !ZenginKana.isAccepted(holder) {
            check.add(FieldError(field: "holderKana", code: "invalid_format",
                                 message: "口座名義はカタカナで入力してください（通帳の表記どおり。例: センモンカ ジロウ）。"))
        }
        try check.finish()
        guard let kind else { throw ValidationFailure([FieldError(field: "kind", code: "required", message: "預金種目を選んでください。")]) }
        return BankAccount(bank: bank, bankCode: bankCode, branch: branch, branchCode: branchCode, kind: kind, number: number, holderKana: holder)
    }

    /// Digits as typed, full-width folded (DEC-4's folding), spaces and hyphens between groups dropped.
    static func digitsOnly(_ text: String) -> String {
        CompatibilityFolding.nfkc(text).filter { $0 != " " && $0 != "-" }
    }

    static func digits(_ value: String?, count: Int, field: String, label: String, into check: inout FieldChecker) -> String {
        let text = digitsOnly(value ?? "")
        if text.isEmpty {
            check.add(.required(field, label: label))
        } else if text.count != count || !text.allSatisfy(\.isASCIIDigit) {
            check.add(FieldError(field: field, code: "invalid_format", message: "\(label)は\(count)桁の数字で入力してください。"))
        }
        return text
    }
}

/// Half-width katakana as bank transfers carry names (全銀協の振込用文字).
public enum ZenginKana {
    /// Katakana (and hiragana) to half-width, voiced marks split (ガ → ｶﾞ); small kana become
    /// their large forms, as transfers write them (ッ → ﾂ); full-width spaces, letters and
    /// digits become half-width.
    public static func halfWidth(_ text: String) -> String {
        // NFKC first (DEC-4's folding): full-width ASCII and spaces become ASCII, half-width kana
        // typed already becomes full-width (with its voiced marks composed), so one table maps back.
        var out = ""
        for scalar in CompatibilityFolding.nfkc(text).unicodeScalars {
            var value = scalar.value
            if (0x3041...0x3096).contains(value) { value += 0x60 }   // hiragana → katakana
            if let mapped = table[value] {
                out += mapped
            } else if let same = Unicode.Scalar(value) {
                out.unicodeScalars.append(same)
            }
        }
        return out.uppercased()
    }

    /// Only the characters a transfer accepts: half-width katakana and marks, A–Z, 0–9,
    /// space and `().-/`; at least one katakana or letter.
    public static func isAccepted(_ text: String) -> Bool {
        guard !text.isEmpty, text.unicodeScalars.contains(where: { (0xFF66...0xFF9F).contains($0.value) || ("A"..."Z").contains($0) }) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            (0xFF66...0xFF9F).contains(scalar.value) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || " ().-/".unicodeScalars.contains(scalar)
        }
    }

    static let table: [UInt32: String] = {
        let full = Array("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォャュョッー")
        let half = ["ｱ", "ｲ", "ｳ", "ｴ", "ｵ", "ｶ", "ｷ", "ｸ", "ｹ", "ｺ", "ｻ", "ｼ", "ｽ", "ｾ", "ｿ", "ﾀ", "ﾁ", "ﾂ", "ﾃ", "ﾄ", "ﾅ", "ﾆ", "ﾇ", "ﾈ", "ﾉ",
                    "ﾊ", "ﾋ", "ﾌ", "ﾍ", "ﾎ", "ﾏ", "ﾐ", "ﾑ", "ﾒ", "ﾓ", "ﾔ", "ﾕ", "ﾖ", "ﾗ", "ﾘ", "ﾙ", "ﾚ", "ﾛ", "ﾜ", "ｦ", "ﾝ",
                    "ｱ", "ｲ", "ｳ", "ｴ", "ｵ", "ﾔ", "ﾕ", "ﾖ", "ﾂ", "-"]
        var table: [UInt32: String] = [:]
        for (character, mapped) in zip(full, half) {
            if let scalar = character.unicodeScalars.first { table[scalar.value] = mapped }
        }
        let voiced = Array("ガギグゲゴザジズゼゾダヂヅデドバビブベボヴ")
        let voicedBase = ["ｶ", "ｷ", "ｸ", "ｹ", "ｺ", "ｻ", "ｼ", "ｽ", "ｾ", "ｿ", "ﾀ", "ﾁ", "ﾂ", "ﾃ", "ﾄ", "ﾊ", "ﾋ", "ﾌ", "ﾍ", "ﾎ", "ｳ"]
        for (character, base) in zip(voiced, voicedBase) {
            if let scalar = character.unicodeScalars.first { table[scalar.value] = base + "ﾞ" }
        }
        for (character, base) in zip(Array("パピプペポ"), ["ﾊ", "ﾋ", "ﾌ", "ﾍ", "ﾎ"]) {
            if let scalar = character.unicodeScalars.first { table[scalar.value] = base + "ﾟ" }
        }
        table[0x30FB] = "."   // ・
        // Voiced marks NFKC left uncomposed (combining or spacing): the half-width marks.
        table[0x3099] = "ﾞ"; table[0x309B] = "ﾞ"; table[0x309A] = "ﾟ"; table[0x309C] = "ﾟ"
        return table
    }()
}

/// The expert's profile (CON-4: institutions search by specialty and region).
public struct ExpertDetails: Equatable, Sendable {
    /// 専門分野, e.g. 財務・資金繰り, 販路開拓.
    public var specialties: [String]
    public var region: Prefecture?
    public var qualifications: String?

    public init(specialties: [String], region: Prefecture?, qualifications: String?) {
        self.specialties = specialties; self.region = region; self.qualifications = qualifications
    }

    public static func validate(specialties: String?, region: String?, qualifications: String?) throws(ValidationFailure) -> ExpertDetails {
        var check = FieldChecker()
        let text = check.required(specialties, field: "specialties", label: "専門分野", maxLength: 300)
        let list = text.split(whereSeparator: { "、,，/／\n".contains($0) }).map { String($0).trimmingWhitespace }.filter { !$0.isEmpty }
        if !text.isEmpty && list.isEmpty { check.add(.required("specialties", label: "専門分野")) }
        var prefecture: Prefecture?
        if let code = region, !code.isEmpty {
            prefecture = Prefecture(rawValue: code)
            if prefecture == nil { check.add(FieldError(field: "region", code: "invalid_choice", message: "地域は一覧から選んでください。")) }
        } else {
            check.add(FieldError(field: "region", code: "required", message: "主な活動地域を選んでください。"))
        }
        let qualifications = check.optional(qualifications, field: "qualifications", label: "資格", maxLength: 300)
        try check.finish()
        return ExpertDetails(specialties: list, region: prefecture, qualifications: qualifications)
    }
}

/// 都道府県 (JIS X 0401 codes).
public enum Prefecture: String, Codable, Sendable, CaseIterable {
    case p01 = "01", p02 = "02", p03 = "03", p04 = "04", p05 = "05", p06 = "06", p07 = "07", p08 = "08", p09 = "09", p10 = "10"
    case p11 = "11", p12 = "12", p13 = "13", p14 = "14", p15 = "15", p16 = "16", p17 = "17", p18 = "18", p19 = "19", p20 = "20"
    case p21 = "21", p22 = "22", p23 = "23", p24 = "24", p25 = "25", p26 = "26", p27 = "27", p28 = "28", p29 = "29", p30 = "30"
    case p31 = "31", p32 = "32", p33 = "33", p34 = "34", p35 = "35", p36 = "36", p37 = "37", p38 = "38", p39 = "39", p40 = "40"
    case p41 = "41", p42 = "42", p43 = "43", p44 = "44", p45 = "45", p46 = "46", p47 = "47"

    public var japaneseName: String {
        let names = ["北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都",
                     "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府",
                     "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
                     "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"]
        return names[(Int(rawValue) ?? 1) - 1]
    }
}
