import Fluent
import Foundation
import HakenCore

/// A login (REG-1 stage 1) with its role and, for non-secretariat roles, the party it acts for.
public final class AccountModel: Model, @unchecked Sendable {
    public static let schema = "accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "email") public var email: String
    @Field(key: "email_key") public var emailKey: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: String
    /// The business, institution or expert this account acts for; nil for the secretariat.
    @OptionalField(key: "party_id") public var partyID: UUID?
    /// The person's name, as greeted on the pages.
    @OptionalField(key: "display_name") public var displayName: String?
    /// When the address was shown to be the person's (the sign-up or invitation link was
    /// opened); nil until then, and no login before it.
    @OptionalField(key: "verified_at") public var verifiedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public var accountRole: Role? { Role(rawValue: role) }

    public init(email: EmailAddress, passwordHash: String, role: Role, partyID: UUID?) {
        self.email = email.address
        self.emailKey = email.matchKey
        self.passwordHash = passwordHash
        self.role = role.rawValue
        self.partyID = partyID
    }
}

/// An API token. Only its SHA-256 is stored, so a leaked database leaks no usable token.
public final class APITokenModel: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "role") public var role: String
    @OptionalField(key: "party_id") public var partyID: UUID?
    @Field(key: "label") public var label: String
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?

    public init() {}

    public init(tokenHash: String, role: Role, partyID: UUID?, label: String) {
        self.tokenHash = tokenHash
        self.role = role.rawValue
        self.partyID = partyID
        self.label = label
    }
}
