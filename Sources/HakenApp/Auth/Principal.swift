import Crypto
import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// Who is calling: a role, and for everyone but the secretariat the party they act for.
public struct Principal: Authenticatable, Sendable, Equatable {
    public var role: Role
    public var partyID: UUID?
    /// For the audit log: `secretariat:admin-token`, `institution:<uuid>/account:<uuid>`, …
    public var actor: String
    /// The web account behind a session (nil for an API token).
    public var accountID: UUID?

    public init(role: Role, partyID: UUID?, actor: String, accountID: UUID? = nil) {
        self.role = role
        self.partyID = partyID
        self.actor = actor
        self.accountID = accountID
    }

    /// The permission policy's view of this caller.
    public var caller: AccessPolicy.Caller { AccessPolicy.Caller(role: role, partyID: partyID) }

    public func may(_ action: AccessPolicy.Action, _ resource: AccessPolicy.Resource) -> Bool {
        AccessPolicy.allows(caller, action, resource)
    }

    public var isSecretariat: Bool { role == .secretariat }

}

/// Resolves `Authorization: Bearer …` to a principal: the configured admin token, or a
/// token issued by `hakendesk token issue` (stored as its SHA-256 only).
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    let adminToken: String?

    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        if let adminToken, constantTimeEqual(bearer.token, adminToken) {
            request.auth.login(Principal(role: .secretariat, partyID: nil, actor: "secretariat:admin-token"))
            return
        }
        let hash = APITokens.hash(bearer.token)
        guard let stored = try await APITokenModel.query(on: request.db)
            .filter(\.$tokenHash == hash).filter(\.$revokedAt == nil).first(),
              let role = Role(rawValue: stored.role) else { return }
        let actor = "\(role.rawValue):\(stored.partyID?.uuidString.lowercased() ?? "-")"
        request.auth.login(Principal(role: role, partyID: stored.partyID, actor: actor))
    }
}

extension Request {
    /// The authenticated caller, or 401.
    func principal() throws -> Principal {
        guard let principal = auth.get(Principal.self) else { throw APIError.unauthenticated }
        return principal
    }

    /// The caller, who must be allowed `action` on `resource` by the one policy (403 otherwise).
    @discardableResult
    func authorize(_ action: AccessPolicy.Action, _ resource: AccessPolicy.Resource) throws -> Principal {
        let principal = try principal()
        guard principal.may(action, resource) else { throw APIError.forbidden }
        return principal
    }

    /// The caller, who must hold one of `roles` (403 otherwise).
    func principal(in roles: Set<Role>) throws -> Principal {
        let principal = try principal()
        guard roles.contains(principal.role) else { throw APIError.forbidden }
        return principal
    }
}
