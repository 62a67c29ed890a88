import Crypto
import Fluent
import Foundation
import HakenCore
import HakenStore

/// Issuing and hashing API tokens.
public enum APITokens {
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// A new random token (256 bits, URL-safe) stored by hash; the plain token is returned once.
    public static func issue(role: Role, partyID: UUID?, label: String, on database: Database, now: Date = Date()) async throws -> String {
        let token = "hk_" + SecretToken.generate()
        try await APITokenModel(tokenHash: hash(token), role: role, partyID: partyID, label: label).create(on: database)
        try await AuditLog.append(.init(actor: "cli", action: "token.issue", subject: AuditLog.subject(role.rawValue, partyID),
                                        details: ["label": label]), on: database, now: now)
        return token
    }
}
