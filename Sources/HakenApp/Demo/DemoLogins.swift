import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// One login per role for trying the pages with the demo data (`serve --demo` prints them):
/// the secretariat, 東京都よろず支援拠点's staff, 専門家次郎 and ばそな建設's person in charge.
public enum DemoLogins {
    public struct Login: Sendable {
        public var role: Role
        public var email: String
        public var password: String
    }

    /// Known on purpose: demo data only (the README says so; never in production).
    public static let password = "demo-pass-2026"

    public static func ensure(on app: Application) async throws -> [Login] {
        let db = app.db
        let institution = try await InstitutionModel.query(on: db).filter(\.$emailKey == "yorozu@tokyo-yorozu.example.jp").first()
        let expert = try await ExpertModel.query(on: db).filter(\.$emailKey == "jiro@senmonka.example.jp").first()
        let business = try await BusinessModel.query(on: db).filter(\.$emailKey == "info@basona-kensetsu.example.jp").first()
        return try await ensure([
            (.secretariat, "jimukyoku@haken-demo.example.jp", "事務局 花子", nil),
            (.institution, "staff@tokyo-yorozu.example.jp", "よろず 支援子", institution?.id),
            (.expert, "jiro@senmonka.example.jp", "専門家次郎", expert?.id),
            (.business, "info@basona-kensetsu.example.jp", business?.contactName ?? "ご担当者", business?.id),
        ], on: app)
    }

    /// Verified accounts with the demo password (role, address, name, party), made once each.
    public static func ensure(_ wanted: [(Role, String, String, UUID?)], on app: Application) async throws -> [Login] {
        let db = app.db
        let key = app.haken.auditKey
        let now = app.hakenClock.now()
        let hash = try await app.password.async.hash(password)
        var logins: [Login] = []
        for (role, address, name, party) in wanted {
            guard let email = EmailAddress(address), role == .secretariat || party != nil else { continue }
            if try await Accounts.find(email, on: db) == nil {
                try await db.hakenTransaction { tx in
                    let account = AccountModel(email: email, passwordHash: hash, role: role, partyID: party)
                    account.displayName = name
                    account.verifiedAt = now
                    try await account.create(on: tx)
                    try await AuditLog.append(.init(actor: "demo", action: "account.create", subject: AuditLog.subject("account", account.id),
                                                    details: ["email": address, "role": role.rawValue]), on: tx, key: key, now: now)
                }
            }
            logins.append(Login(role: role, email: address, password: password))
        }
        return logins
    }
}
