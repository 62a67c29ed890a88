import Fluent
import Foundation
import HakenCore

/// Member accounts (REG-1 stage 1) and the invitations of institution staff and experts.
/// Passwords arrive here already hashed (Bcrypt, in the application); this file owns the rows.
public enum Accounts {
    /// A password hash that no password matches: an invited account before its owner set one.
    public static let noPassword = "!"

    public static func find(_ email: EmailAddress, on db: Database) async throws -> AccountModel? {
        try await AccountModel.query(on: db).filter(\.$emailKey == email.matchKey).first()
    }

    public enum SignUp: Sendable {
        /// A new account, or an unverified one signed up again (its password replaced).
        case pending(AccountModel)
        /// The address already has a verified account: the mail says so instead (the page
        /// answers the same either way, so nobody learns who has an account).
        case exists(AccountModel)
    }

    /// REG-1 stage 1: a business contact's account, unverified until the mailed link is opened.
    public static func signUp(_ registration: AccountRegistration, passwordHash: String, on db: Database, key: AuditKey, now: Date) async throws -> SignUp {
        if let existing = try await find(registration.email, on: db) {
            guard existing.verifiedAt == nil else { return .exists(existing) }
            existing.passwordHash = passwordHash
            try await existing.save(on: db)
            return .pending(existing)
        }
        let account = AccountModel(email: registration.email, passwordHash: passwordHash, role: .business, partyID: nil)
        try await account.create(on: db)
        try await AuditLog.append(.init(actor: "web:signup", action: "account.signup", subject: AuditLog.subject("account", account.id),
                                        details: ["email": registration.email.address]), on: db, key: key, now: now)
        return .pending(account)
    }

    /// The sign-up link was opened: the address is the person's. A business that the
    /// secretariat registered earlier under this address (REG-2) becomes this account's.
    public static func verify(_ account: AccountModel, on db: Database, key: AuditKey, now: Date) async throws {
        account.verifiedAt = now
        if account.accountRole == .business, account.partyID == nil,
           let business = try await BusinessModel.query(on: db).filter(\.$emailKey == account.emailKey).first() {
            let owned = try await AccountModel.query(on: db).filter(\.$partyID == business.id).count()
            if owned == 0 { account.partyID = business.id }
        }
        try await account.save(on: db)
        try await AuditLog.append(.init(actor: actor(account), action: "account.verify", subject: AuditLog.subject("account", account.id),
                                        details: ["email": account.email]), on: db, key: key, now: now)
    }

    public enum InvitationProblem: Error, Equatable, CustomStringConvertible {
        case addressTaken
        case partyRequired
        case partyNotAllowed
        case noSuchParty

        public var description: String {
            switch self {
            case .addressTaken: return "このメールアドレスのアカウントは既にあります。"
            case .partyRequired: return "支援機関の職員・専門家を招待するときは、所属する支援機関または専門家を選んでください。"
            case .partyNotAllowed: return "事務局のアカウントには所属先を指定しません。"
            case .noSuchParty: return "指定された支援機関または専門家が見つかりません。"
            }
        }
    }

    /// The secretariat invites institution staff, experts or colleagues: an account without a
    /// password until the invitee opens the mailed link and sets one.
    public static func invite(email: EmailAddress, name: String, role: Role, partyID: UUID?, by actor: String,
                              on db: Database, key: AuditKey, now: Date) async throws -> AccountModel {
        switch (role, partyID) {
        case (.secretariat, nil): break
        case (.secretariat, _?): throw InvitationProblem.partyNotAllowed
        case (.business, _): throw InvitationProblem.partyNotAllowed
        case (_, nil): throw InvitationProblem.partyRequired
        case (.institution, let id?): if try await InstitutionModel.find(id, on: db) == nil { throw InvitationProblem.noSuchParty }
        case (.expert, let id?): if try await ExpertModel.find(id, on: db) == nil { throw InvitationProblem.noSuchParty }
        }
        if try await find(email, on: db) != nil { throw InvitationProblem.addressTaken }
        let account = AccountModel(email: email, passwordHash: noPassword, role: role, partyID: partyID)
        account.displayName = name
        try await account.create(on: db)
        try await AuditLog.append(.init(actor: actor, action: "account.invite", subject: AuditLog.subject("account", account.id),
                                        details: ["email": email.address, "role": role.rawValue, "name": name,
                                                  "party": partyID?.uuidString.lowercased() ?? "-"]), on: db, key: key, now: now)
        return account
    }

    /// A new password (reset or first one after an invitation); opening the link proved the address.
    public static func setPassword(_ account: AccountModel, hash: String, reason: String, on db: Database, key: AuditKey, now: Date) async throws {
        account.passwordHash = hash
        if account.verifiedAt == nil { account.verifiedAt = now }
        try await account.save(on: db)
        try await AuditLog.append(.init(actor: actor(account), action: "account.password", subject: AuditLog.subject("account", account.id),
                                        details: ["reason": reason]), on: db, key: key, now: now)
    }

    /// REG-1 stage 2: the business's details, registered for the account (REG-2: the
    /// account's address is the business's registered address).
    public static func registerBusiness(_ profile: BusinessProfile, for account: AccountModel, on db: Database, key: AuditKey, now: Date) async throws -> BusinessModel {
        let business = BusinessModel(profile: profile)
        let id = UUID()
        business.id = id
        // Throws AddressRegistry.Taken when an address is another party's (REG-2).
        try await AddressRegistry.claim(zip(profile.reportingAddresses, ["email", "mobileEmail"]).map { (address: $0, field: $1) },
                                        partyKind: "business", partyID: id, on: db)
        try await business.create(on: db)
        account.partyID = business.id
        if account.displayName == nil { account.displayName = profile.contactName }
        try await account.save(on: db)
        try await AuditLog.append(.init(actor: actor(account), action: "business.register", subject: AuditLog.subject("business", business.id),
                                        details: profileDetails(profile)), on: db, key: key, now: now)
        return business
    }

    /// What an audit entry says of a business's details.
    public static func profileDetails(_ profile: BusinessProfile) -> [String: String] {
        var details = ["name": profile.name, "contactName": profile.contactName, "email": profile.registeredEmail.address]
        details["kanaName"] = profile.kanaName
        details["corporateNumber"] = profile.corporateNumber?.digits
        details["address"] = profile.address
        details["phone"] = profile.phone
        details["mobileEmail"] = profile.mobileEmail?.address
        details["representative"] = profile.details.representative
        details["postalCode"] = profile.details.postalCode
        details["industry"] = profile.details.industry?.rawValue
        details["employees"] = profile.details.employees.map(String.init)
        details["capitalYen"] = profile.details.capitalYen.map(String.init)
        return details
    }

    /// The audit log's name for what this account does: role, party and account (NOTE-3).
    public static func actor(_ account: AccountModel) -> String {
        "\(account.role):\(account.partyID?.uuidString.lowercased() ?? "-")/account:\(account.id?.uuidString.lowercased() ?? "-")"
    }
}

/// Recent login attempts, for `LoginThrottle`.
public enum LoginAttempts {
    public static func recentFailures(accountKey: String, client: String, now: Date, on db: Database) async throws -> (account: [Date], client: [Date]) {
        let since = now.addingTimeInterval(-LoginThrottle.window)
        let byAccount = try await LoginAttemptModel.query(on: db).filter(\.$accountKey == accountKey).filter(\.$succeeded == false)
            .filter(\.$at > since).all().map(\.at)
        let byClient = try await LoginAttemptModel.query(on: db).filter(\.$client == client).filter(\.$succeeded == false)
            .filter(\.$at > since).all().map(\.at)
        return (byAccount, byClient)
    }

    /// Records one attempt; a success clears the account's failures. Rows older than a day go.
    public static func record(accountKey: String, client: String, succeeded: Bool, now: Date, on db: Database) async throws {
        try await LoginAttemptModel(accountKey: accountKey, client: client, succeeded: succeeded, at: now).create(on: db)
        if succeeded {
            try await LoginAttemptModel.query(on: db).filter(\.$accountKey == accountKey).filter(\.$succeeded == false).delete()
        }
        try await LoginAttemptModel.query(on: db).filter(\.$at < now.addingTimeInterval(-24 * 3600)).delete()
    }
}
