import Crypto
import Fluent
import Foundation
import HakenCore
import HakenStore

/// Issuing, listing and revoking API tokens. Only a token's SHA-256 is stored.
public enum APITokens {
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// Why a token cannot be issued as asked.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case partyRequired(Role)
        case partyNotAllowed
        case noSuchParty(Role, UUID)

        public var description: String {
            switch self {
            case .partyRequired(let role): return "--party <uuid> is required for role \(role.rawValue): the \(role.rawValue) the token acts for"
            case .partyNotAllowed: return "--party is not allowed for role secretariat (the secretariat acts for nobody in particular)"
            case .noSuchParty(let role, let id): return "no \(role.rawValue) with id \(id.uuidString.lowercased())"
            }
        }
    }

    /// A new random token (256 bits, URL-safe) stored by hash; the plain token is returned once.
    /// The party must exist and be of the token's role.
    public static func issue(role: Role, partyID: UUID?, label: String, on database: Database, key: AuditKey,
                             now: Date = Date()) async throws -> String {
        switch (role, partyID) {
        case (.secretariat, nil): break
        case (.secretariat, _?): throw Refusal.partyNotAllowed
        case (_, nil): throw Refusal.partyRequired(role)
        case (.institution, let id?): if try await InstitutionModel.find(id, on: database) == nil { throw Refusal.noSuchParty(role, id) }
        case (.business, let id?): if try await BusinessModel.find(id, on: database) == nil { throw Refusal.noSuchParty(role, id) }
        case (.expert, let id?): if try await ExpertModel.find(id, on: database) == nil { throw Refusal.noSuchParty(role, id) }
        }
        let token = "hk_" + SecretToken.generate()
        try await database.hakenTransaction { db in
            let model = APITokenModel(tokenHash: hash(token), role: role, partyID: partyID, label: label)
            try await model.create(on: db)
            try await AuditLog.append(.init(actor: "cli", action: "token.issue", subject: AuditLog.subject("token", try model.requireID()),
                                            details: ["label": label, "role": role.rawValue, "party": partyID?.uuidString.lowercased() ?? "-"]),
                                      on: db, key: key, now: now)
        }
        return token
    }

    /// Every token, newest first (never the token itself: only its hash is stored).
    public static func list(on database: Database) async throws -> [APITokenModel] {
        try await APITokenModel.query(on: database).sort(\.$createdAt, .descending).all()
    }

    /// Revokes a token at once; false when there is no such token or it was revoked before.
    public static func revoke(_ id: UUID, on database: Database, key: AuditKey, now: Date = Date()) async throws -> Bool {
        try await database.hakenTransaction { db in
            guard let model = try await APITokenModel.find(id, on: db), model.revokedAt == nil else { return false }
            model.revokedAt = now
            try await model.save(on: db)
            try await AuditLog.append(.init(actor: "cli", action: "token.revoke", subject: AuditLog.subject("token", id),
                                            details: ["label": model.label, "role": model.role]), on: db, key: key, now: now)
            return true
        }
    }
}
