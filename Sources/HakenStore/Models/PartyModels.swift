import Fluent
import Foundation
import HakenCore

/// 支援機関.
public final class InstitutionModel: Model, @unchecked Sendable {
    public static let schema = "institutions"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "kind") public var kind: String
    @Field(key: "email") public var email: String
    /// Lower-cased address, the key incoming mail is matched on (DEC-6).
    @Field(key: "email_key") public var emailKey: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, profile: InstitutionProfile) {
        self.id = id
        self.name = profile.name
        self.kind = profile.kind.rawValue
        self.email = profile.email.address
        self.emailKey = profile.email.matchKey
    }

    public var institutionKind: InstitutionKind { InstitutionKind(rawValue: kind) ?? .other }
}

/// 専門家.
public final class ExpertModel: Model, @unchecked Sendable {
    public static let schema = "experts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "email") public var email: String
    @Field(key: "email_key") public var emailKey: String
    /// CON-4: 専門分野 joined with 、 (searched by the institution).
    @OptionalField(key: "specialties") public var specialties: String?
    /// 都道府県 code.
    @OptionalField(key: "region") public var region: String?
    @OptionalField(key: "qualifications") public var qualifications: String?
    @OptionalField(key: "bank") public var bank: String?
    @OptionalField(key: "bank_code") public var bankCode: String?
    @OptionalField(key: "branch") public var branch: String?
    @OptionalField(key: "branch_code") public var branchCode: String?
    @OptionalField(key: "account_kind") public var accountKind: String?
    @OptionalField(key: "account_number") public var accountNumber: String?
    @OptionalField(key: "holder_kana") public var holderKana: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public func apply(_ details: ExpertDetails) {
        specialties = details.specialties.joined(separator: "、")
        region = details.region?.rawValue
        qualifications = details.qualifications
    }

    public func apply(_ account: BankAccount) {
        bank = account.bank; bankCode = account.bankCode; branch = account.branch; branchCode = account.branchCode
        accountKind = account.kind.rawValue; accountNumber = account.number; holderKana = account.holderKana
    }

    public init(id: UUID? = nil, profile: ExpertProfile) {
        self.id = id
        self.name = profile.name
        self.email = profile.email.address
        self.emailKey = profile.email.matchKey
    }
}

/// 事業者 (REG-1 stage 2). The registered address is the member account's (REG-2).
public final class BusinessModel: Model, @unchecked Sendable {
    public static let schema = "businesses"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @OptionalField(key: "kana_name") public var kanaName: String?
    @OptionalField(key: "corporate_number") public var corporateNumber: String?
    @OptionalField(key: "address") public var address: String?
    @OptionalField(key: "phone") public var phone: String?
    @Field(key: "contact_name") public var contactName: String
    @Field(key: "email") public var email: String
    @Field(key: "email_key") public var emailKey: String
    @OptionalField(key: "mobile_email") public var mobileEmail: String?
    @OptionalField(key: "mobile_email_key") public var mobileEmailKey: String?
    /// DEC-10: when the mobile address was verified by the link mailed to it; nil until then.
    @OptionalField(key: "mobile_verified_at") public var mobileVerifiedAt: Date?
    @OptionalField(key: "representative") public var representative: String?
    @OptionalField(key: "postal_code") public var postalCode: String?
    @OptionalField(key: "industry") public var industry: String?
    @OptionalField(key: "employees") public var employees: Int?
    @OptionalField(key: "capital_yen") public var capitalYen: Int?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID? = nil, profile: BusinessProfile) {
        self.id = id
        apply(profile)
    }

    public func apply(_ profile: BusinessProfile) {
        name = profile.name
        kanaName = profile.kanaName
        corporateNumber = profile.corporateNumber?.digits
        address = profile.address
        phone = profile.phone
        contactName = profile.contactName
        email = profile.registeredEmail.address
        emailKey = profile.registeredEmail.matchKey
        if mobileEmailKey != profile.mobileEmail?.matchKey { mobileVerifiedAt = nil }   // a new address starts unverified
        mobileEmail = profile.mobileEmail?.address
        mobileEmailKey = profile.mobileEmail?.matchKey
        representative = profile.details.representative
        postalCode = profile.details.postalCode
        industry = profile.details.industry?.rawValue
        employees = profile.details.employees
        capitalYen = profile.details.capitalYen
    }

    /// REG-1 stage 2 is done once the company facts the registration page requires are in.
    public var detailsComplete: Bool { representative != nil && postalCode != nil && industry != nil && employees != nil }

    /// Back to the domain value (the stored fields were validated on the way in; a row
    /// changed by hand into something unreadable is an error, never a crash).
    public func profile() throws -> BusinessProfile {
        guard let registered = EmailAddress(email) else { throw StoredValueError(what: "business email") }
        return BusinessProfile(
            name: name, kanaName: kanaName,
            corporateNumber: corporateNumber.flatMap { try? CorporateNumber.parse($0).get() },
            address: address, phone: phone, contactName: contactName,
            registeredEmail: registered, mobileEmail: mobileEmail.flatMap(EmailAddress.init),
            details: BusinessDetails(representative: representative, postalCode: postalCode, industry: industry.flatMap(Industry.init(rawValue:)),
                                     employees: employees, capitalYen: capitalYen)
        )
    }
}

/// 経営相談 (CON-1, CON-2).
public final class ConsultationModel: Model, @unchecked Sendable {
    public static let schema = "consultations"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "institution_id") public var institution: InstitutionModel
    @Parent(key: "business_id") public var business: BusinessModel
    @Field(key: "date") public var date: String
    @Field(key: "mode") public var mode: String
    @OptionalField(key: "disaster_measure") public var disasterMeasure: String?
    @Field(key: "consulted_person") public var consultedPerson: String
    @Field(key: "photographed") public var photographed: Bool
    /// CON-4: the expert or the field the business asked for (the institution decides).
    @OptionalField(key: "business_wish") public var businessWish: String?
    /// CON-3: what the business consulted about, and whether the institution decided an expert is needed.
    @OptionalField(key: "theme") public var theme: String?
    @OptionalField(key: "expert_needed") public var expertNeeded: Bool?
    /// CON-2: the photo's file in the blob store (uploaded on the institution's page).
    @OptionalField(key: "photo_path") public var photoPath: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(institutionID: UUID, businessID: UUID, consultation: Consultation) {
        self.$institution.id = institutionID
        self.$business.id = businessID
        self.date = consultation.date.iso
        switch consultation.mode {
        case .inPerson:
            mode = "in_person"
        case .remote(let measure):
            mode = "remote"
            disasterMeasure = measure
        }
        consultedPerson = consultation.consultedPerson
        photographed = consultation.photographed
    }
}

/// CON-4: an expert who belongs to (`member`) or is paid by (`paid`) an institution; that
/// institution cannot choose them for a dispatch.
public final class ExpertAffiliationModel: Model, @unchecked Sendable {
    public static let schema = "expert_affiliations"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "expert_id") public var expert: ExpertModel
    @Parent(key: "institution_id") public var institution: InstitutionModel
    @Field(key: "relation") public var relation: String

    public init() {}

    public init(expertID: UUID, institutionID: UUID, relation: String) {
        self.$expert.id = expertID
        self.$institution.id = institutionID
        self.relation = relation
    }
}
