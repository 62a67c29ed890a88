/// REG-1: stage 1 of registration, the member account (ミラサポ会員登録).
public struct AccountRegistration: Equatable, Sendable {
    /// REG-2: this address becomes the business's registered address.
    public var email: EmailAddress
    public var password: String

    public static let minimumPasswordLength = 10

    public struct Input: Codable, Sendable {
        public var email: String?
        public var password: String?
        public init(email: String?, password: String?) { self.email = email; self.password = password }
    }

    public static func validate(_ input: Input) throws(ValidationFailure) -> AccountRegistration {
        var check = FieldChecker()
        let email = check.email(input.email, field: "email", label: "メールアドレス")
        let password = input.password ?? ""
        if password.isEmpty {
            check.add(.required("password", label: "パスワード"))
        } else if password.count < minimumPasswordLength {
            check.add(FieldError(field: "password", code: "too_short", message: "パスワードは\(minimumPasswordLength)文字以上にしてください。"))
        } else if password.count > 200 {
            check.add(FieldError(field: "password", code: "too_long", message: "パスワードは200文字以内にしてください。"))
        }
        try check.finish()
        guard let email else { throw ValidationFailure([.required("email", label: "メールアドレス")]) }
        return AccountRegistration(email: email, password: password)
    }
}

/// REG-1 stage 2, the business's details (企業情報登録). Done once; every later dispatch
/// reuses it.
public struct BusinessProfile: Equatable, Sendable {
    public var name: String
    public var kanaName: String?
    public var corporateNumber: CorporateNumber?
    public var address: String?
    public var phone: String?
    /// ご担当者: the person in charge, who owns the registered address.
    public var contactName: String
    /// REG-2: reports must come from here (DAY-3, DAY-6).
    public var registeredEmail: EmailAddress
    /// DAY-3: a mobile address registered in advance for sites where the registered one cannot be used.
    public var mobileEmail: EmailAddress?
    /// Representative, postal code, industry, employees, capital.
    public var details: BusinessDetails

    public init(name: String, kanaName: String? = nil, corporateNumber: CorporateNumber? = nil, address: String? = nil,
                phone: String? = nil, contactName: String, registeredEmail: EmailAddress, mobileEmail: EmailAddress? = nil,
                details: BusinessDetails = BusinessDetails()) {
        self.name = name; self.kanaName = kanaName; self.corporateNumber = corporateNumber; self.address = address
        self.phone = phone; self.contactName = contactName; self.registeredEmail = registeredEmail; self.mobileEmail = mobileEmail
        self.details = details
    }

    public struct Input: Codable, Sendable {
        public var name: String?
        public var kanaName: String?
        public var corporateNumber: String?
        public var address: String?
        public var phone: String?
        public var contactName: String?
        public var email: String?
        public var mobileEmail: String?
        // REG-1 stage 2 on the registration page (typed text, as a form sends it).
        public var representative: String?
        public var postalCode: String?
        public var industry: String?
        public var employees: String?
        public var capital: String?

        public init(name: String?, kanaName: String? = nil, corporateNumber: String? = nil, address: String? = nil,
                    phone: String? = nil, contactName: String?, email: String?, mobileEmail: String? = nil) {
            self.name = name; self.kanaName = kanaName; self.corporateNumber = corporateNumber
            self.address = address; self.phone = phone; self.contactName = contactName
            self.email = email; self.mobileEmail = mobileEmail
        }
    }

    /// `complete`: the registration page's stage 2, where kana, representative, postal code,
    /// address, phone, industry and employees are required (the API leaves them optional).
    public static func validate(_ input: Input, complete: Bool = false) throws(ValidationFailure) -> BusinessProfile {
        var check = FieldChecker()
        var details = BusinessDetails()
        details.representative = complete ? check.required(input.representative, field: "representative", label: "代表者名")
                                          : check.optional(input.representative, field: "representative", label: "代表者名")
        if let text = complete ? check.required(input.postalCode, field: "postalCode", label: "郵便番号")
                               : check.optional(input.postalCode, field: "postalCode", label: "郵便番号"), !text.isEmpty {
            details.postalCode = BusinessDetails.postalCode(text)
            if details.postalCode == nil {
                check.add(FieldError(field: "postalCode", code: "invalid_format", message: "郵便番号は7桁の数字で入力してください（例: 100-0005）。"))
            }
        }
        if let text = check.optional(input.industry, field: "industry", label: "業種") {
            details.industry = Industry(rawValue: text) ?? Industry.allCases.first { $0.japaneseName == text }
            if details.industry == nil { check.add(FieldError(field: "industry", code: "invalid_choice", message: "業種は一覧から選んでください。")) }
        } else if complete {
            check.add(FieldError(field: "industry", code: "required", message: "業種を選んでください。"))
        }
        details.employees = check.integer(input.employees, field: "employees", label: "従業員数", range: 0...BusinessDetails.maximumEmployees,
                                          required: complete, unit: "人")
        details.capitalYen = check.integer(input.capital, field: "capital", label: "資本金", range: 0...BusinessDetails.maximumCapitalYen, unit: "円")
        let name = check.required(input.name, field: "name", label: "事業者名")
        check.refuseSlash(name, field: "name", label: "事業者名")
        let kana = complete ? check.required(input.kanaName, field: "kanaName", label: "事業者名（カナ）")
                            : check.optional(input.kanaName, field: "kanaName", label: "事業者名（カナ）")
        if let kana, !kana.isEmpty, !isKana(kana) {
            check.add(FieldError(field: "kanaName", code: "invalid_format", message: "事業者名（カナ）はカタカナで入力してください。"))
        }
        var corporateNumber: CorporateNumber?
        if let text = check.optional(input.corporateNumber, field: "corporateNumber", label: "法人番号", maxLength: 40) {
            switch CorporateNumber.parse(text) {
            case .success(let number): corporateNumber = number
            case .failure(.notThirteenDigits):
                check.add(FieldError(field: "corporateNumber", code: "invalid_format", message: "法人番号は13桁の数字で入力してください。"))
            case .failure(.wrongCheckDigit):
                check.add(FieldError(field: "corporateNumber", code: "invalid_check_digit", message: "法人番号のチェックデジットが一致しません。番号をご確認ください。"))
            }
        }
        let address = complete ? check.required(input.address, field: "address", label: "所在地", maxLength: 300)
                               : check.optional(input.address, field: "address", label: "所在地", maxLength: 300)
        let phone = complete ? check.required(input.phone, field: "phone", label: "電話番号", maxLength: 30)
                             : check.optional(input.phone, field: "phone", label: "電話番号", maxLength: 30)
        if let phone, !phone.isEmpty, !isPhoneNumber(phone) {
            check.add(FieldError(field: "phone", code: "invalid_format", message: "電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。"))
        }
        let contact = check.required(input.contactName, field: "contactName", label: "ご担当者名")
        let email = check.email(input.email, field: "email", label: "メールアドレス")
        let mobile = check.optionalEmail(input.mobileEmail, field: "mobileEmail", label: "携帯メールアドレス")
        if let email, let mobile, email.matchKey == mobile.matchKey {
            check.add(FieldError(field: "mobileEmail", code: "same_as_email", message: "携帯メールアドレスには登録メールアドレスと別のアドレスを入力してください。"))
        }
        try check.finish()
        guard let email else { throw ValidationFailure([.required("email", label: "メールアドレス")]) }
        return BusinessProfile(name: name, kanaName: kana, corporateNumber: corporateNumber, address: address,
                               phone: phone, contactName: contact, registeredEmail: email, mobileEmail: mobile, details: details)
    }

    /// Every address a time report may come from (DAY-3).
    public var reportingAddresses: [EmailAddress] { [registeredEmail] + (mobileEmail.map { [$0] } ?? []) }

    static func isKana(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            (0x30A0...0x30FF).contains(scalar.value) || (0x3040...0x309F).contains(scalar.value)
                || (0xFF66...0xFF9F).contains(scalar.value) || scalar == " " || scalar == "\u{3000}"
        }
    }

    static func isPhoneNumber(_ text: String) -> Bool {
        let digits = text.unicodeScalars.filter { ("0"..."9").contains($0) || (0xFF10...0xFF19).contains($0.value) }.count
        let allowed = text.unicodeScalars.allSatisfy {
            ("0"..."9").contains($0) || (0xFF10...0xFF19).contains($0.value) || "-－()（） +".unicodeScalars.contains($0)
        }
        return allowed && (10...13).contains(digits)
    }
}
