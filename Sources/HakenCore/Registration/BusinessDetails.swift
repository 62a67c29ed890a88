/// REG-1 stage 2's company facts beyond name and contact (企業情報): what the programme's
/// application form asks. The API accepts them optionally; the registration page requires
/// those every business has (a sole proprietor has no 法人番号 and no 資本金).
public struct BusinessDetails: Equatable, Sendable {
    /// 代表者名.
    public var representative: String?
    /// 郵便番号, stored as `123-4567`.
    public var postalCode: String?
    public var industry: Industry?
    /// 従業員数.
    public var employees: Int?
    /// 資本金（円）.
    public var capitalYen: Int?

    public init(representative: String? = nil, postalCode: String? = nil, industry: Industry? = nil,
                employees: Int? = nil, capitalYen: Int? = nil) {
        self.representative = representative; self.postalCode = postalCode; self.industry = industry
        self.employees = employees; self.capitalYen = capitalYen
    }

    public static let maximumEmployees = 1_000_000
    /// 10兆円: above any company's capital, well inside Int.
    public static let maximumCapitalYen = 10_000_000_000_000

    /// `123-4567`, `1234567` or full-width digits → `123-4567`; nil when it is not seven digits.
    public static func postalCode(_ text: String) -> String? {
        // Full-width digits and hyphens fold as names do (DEC-4); the long-vowel mark and the
        // other dashes people type between the groups become hyphens.
        let folded = CompatibilityFolding.nfkc(text).map { "ー‐−".contains($0) ? "-" : $0 }
        var body = String(folded)
        if body.hasPrefix("〒") { body.removeFirst() }
        body = body.trimmingWhitespace
        let digits = body.filter { $0 != "-" }
        guard digits.count == 7, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        if body.contains("-") && !(body.count == 8 && Array(body)[3] == "-") { return nil }
        return "\(digits.prefix(3))-\(digits.suffix(4))"
    }
}

/// 日本標準産業分類の大分類 (the programme's forms ask for it).
public enum Industry: String, Codable, Sendable, CaseIterable {
    case agriculture = "A", fishery = "B", mining = "C", construction = "D", manufacturing = "E", utilities = "F"
    case information = "G", transport = "H", trade = "I", finance = "J", realEstate = "K", research = "L"
    case hospitality = "M", livingServices = "N", education = "O", medical = "P", cooperative = "Q", otherServices = "R"

    public var japaneseName: String {
        switch self {
        case .agriculture: return "農業，林業"
        case .fishery: return "漁業"
        case .mining: return "鉱業，採石業，砂利採取業"
        case .construction: return "建設業"
        case .manufacturing: return "製造業"
        case .utilities: return "電気・ガス・熱供給・水道業"
        case .information: return "情報通信業"
        case .transport: return "運輸業，郵便業"
        case .trade: return "卸売業，小売業"
        case .finance: return "金融業，保険業"
        case .realEstate: return "不動産業，物品賃貸業"
        case .research: return "学術研究，専門・技術サービス業"
        case .hospitality: return "宿泊業，飲食サービス業"
        case .livingServices: return "生活関連サービス業，娯楽業"
        case .education: return "教育，学習支援業"
        case .medical: return "医療，福祉"
        case .cooperative: return "複合サービス事業"
        case .otherServices: return "サービス業（他に分類されないもの）"
        }
    }
}

extension FieldChecker {
    /// A whole number typed by a person: full-width digits and thousands commas allowed,
    /// within `range`; nil (and no error) when blank and not `required`.
    public mutating func integer(_ value: String?, field: String, label: String, range: ClosedRange<Int>,
                                 required: Bool = false, unit: String = "") -> Int? {
        guard let text = optional(value, field: field, label: label, maxLength: 40) else {
            if required { add(.required(field, label: label)) }
            return nil
        }
        var digits = ""
        for character in CompatibilityFolding.nfkc(text) where character != "," {
            guard character.isASCIIDigit else {
                add(FieldError(field: field, code: "invalid_number", message: "\(label)は数字で入力してください。"))
                return nil
            }
            digits.append(character)
        }
        guard !digits.isEmpty, digits.count <= 18, let number = Int(digits), range.contains(number) else {
            add(FieldError(field: field, code: "out_of_range",
                           message: "\(label)は\(range.lowerBound)\(unit)から\(range.upperBound)\(unit)までの数で入力してください。"))
            return nil
        }
        return number
    }
}
