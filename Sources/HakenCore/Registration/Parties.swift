/// Who may act in HakenDesk. Every page and API call is checked against one of these.
public enum Role: String, Codable, Sendable, CaseIterable {
    case secretariat, institution, business, expert

    public var japaneseName: String {
        switch self {
        case .secretariat: return "事務局"
        case .institution: return "支援機関"
        case .business: return "事業者"
        case .expert: return "専門家"
        }
    }
}

/// 支援機関の種類.
public enum InstitutionKind: String, Codable, Sendable, CaseIterable {
    case yorozu = "yorozu"
    case regionalPlatform = "regional_platform"
    case shokokai = "shokokai"
    case chamberOfCommerce = "chamber_of_commerce"
    case financialInstitution = "financial_institution"
    case other = "other"

    public var japaneseName: String {
        switch self {
        case .yorozu: return "よろず支援拠点"
        case .regionalPlatform: return "地域プラットフォーム"
        case .shokokai: return "商工会"
        case .chamberOfCommerce: return "商工会議所"
        case .financialInstitution: return "金融機関"
        case .other: return "その他"
        }
    }

    /// Accepts the code or the Japanese name, since both appear in imported lists.
    public init?(input: String) {
        let text = input.trimmingWhitespace
        if let kind = InstitutionKind(rawValue: text) { self = kind; return }
        guard let kind = InstitutionKind.allCases.first(where: { $0.japaneseName == text }) else { return nil }
        self = kind
    }
}

public struct InstitutionProfile: Equatable, Sendable {
    public var name: String
    public var kind: InstitutionKind
    public var email: EmailAddress

    public init(name: String, kind: InstitutionKind, email: EmailAddress) {
        self.name = name; self.kind = kind; self.email = email
    }

    public struct Input: Codable, Sendable {
        public var name: String?
        public var kind: String?
        public var email: String?
        public init(name: String?, kind: String?, email: String?) {
            self.name = name; self.kind = kind; self.email = email
        }
    }

    public static func validate(_ input: Input) throws(ValidationFailure) -> InstitutionProfile {
        var check = FieldChecker()
        let name = check.required(input.name, field: "name", label: "支援機関名")
        let kindText = check.required(input.kind, field: "kind", label: "支援機関の種類")
        let kind = InstitutionKind(input: kindText)
        if !kindText.isEmpty && kind == nil {
            let choices = InstitutionKind.allCases.map(\.japaneseName).joined(separator: "、")
            check.add(FieldError(field: "kind", code: "invalid_choice", message: "支援機関の種類は次のいずれかを指定してください: \(choices)"))
        }
        let email = check.email(input.email, field: "email", label: "メールアドレス")
        try check.finish()
        guard let kind, let email else { throw ValidationFailure([.required("email", label: "メールアドレス")]) }
        return InstitutionProfile(name: name, kind: kind, email: email)
    }
}

public struct ExpertProfile: Equatable, Sendable {
    public var name: String
    public var email: EmailAddress

    public init(name: String, email: EmailAddress) { self.name = name; self.email = email }

    public struct Input: Codable, Sendable {
        public var name: String?
        public var email: String?
        public init(name: String?, email: String?) { self.name = name; self.email = email }
    }

    public static func validate(_ input: Input) throws(ValidationFailure) -> ExpertProfile {
        var check = FieldChecker()
        let name = check.required(input.name, field: "name", label: "専門家名")
        check.refuseSlash(name, field: "name", label: "専門家名")
        let email = check.email(input.email, field: "email", label: "メールアドレス")
        try check.finish()
        guard let email else { throw ValidationFailure([.required("email", label: "メールアドレス")]) }
        return ExpertProfile(name: name, email: email)
    }
}

extension FieldChecker {
    /// A required mail address.
    public mutating func email(_ value: String?, field: String, label: String) -> EmailAddress? {
        let text = required(value, field: field, label: label, maxLength: 254)
        guard !text.isEmpty else { return nil }
        guard let address = EmailAddress(text) else {
            add(FieldError(field: field, code: "invalid_email", message: "\(label)の形式が正しくありません（例: info@example.co.jp）。"))
            return nil
        }
        return address
    }

    /// An optional mail address: nil when blank, an error when malformed.
    public mutating func optionalEmail(_ value: String?, field: String, label: String) -> EmailAddress? {
        guard let text = optional(value, field: field, label: label, maxLength: 254) else { return nil }
        guard let address = EmailAddress(text) else {
            add(FieldError(field: field, code: "invalid_email", message: "\(label)の形式が正しくありません（例: info@example.co.jp）。"))
            return nil
        }
        return address
    }
}
