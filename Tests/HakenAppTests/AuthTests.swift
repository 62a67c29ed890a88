import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

@Suite struct AuthTests {
    @Test(arguments: TestDatabase.all)
    func callersWithoutAValidTokenGet401JSON(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            for token in [nil, "wrong-token", adminToken + "x"] as [String?] {
                let response = try await app.call(.POST, "api/v1/institutions", token: token,
                                                  json: ["name": "x", "kind": "other", "email": "x@example.jp"])
                #expect(response.status == .unauthorized)
                #expect(response.code == "unauthenticated")
                #expect(response["error"] as? Bool == true)
            }
            #expect(try await app.call(.GET, "api/v1/dispatches", token: nil).status == .unauthorized)
        }
    }

    @Test("CON-3: only the institution itself files its dispatches", arguments: TestDatabase.all)
    func testCON3_onlyTheInstitutionItselfFilesItsDispatches(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let other = try await app.call(.POST, "api/v1/institutions", json: ["name": "別の商工会", "kind": "shokokai", "email": "other@example.jp"])
            let own = try await APITokens.issue(role: .institution, partyID: UUID(uuidString: parties.institution), label: "test", on: app.db, key: app.haken.auditKey)
            let foreign = try await APITokens.issue(role: .institution, partyID: UUID(uuidString: other.id), label: "test", on: app.db, key: app.haken.auditKey)
            let businessToken = try await APITokens.issue(role: .business, partyID: UUID(uuidString: parties.business), label: "test", on: app.db, key: app.haken.auditKey)
            let expertToken = try await APITokens.issue(role: .expert, partyID: UUID(uuidString: parties.expert), label: "test", on: app.db, key: app.haken.auditKey)

            // CON-3/CON-4: the business and the expert cannot file a dispatch or name an expert.
            #expect(try await app.call(.POST, "api/v1/dispatches", token: businessToken, json: app.dispatchBody(parties)).status == .forbidden)
            #expect(try await app.call(.POST, "api/v1/dispatches", token: expertToken, json: app.dispatchBody(parties)).status == .forbidden)
            #expect(try await app.call(.POST, "api/v1/dispatches", token: foreign, json: app.dispatchBody(parties)).status == .forbidden)
            let created = try await app.call(.POST, "api/v1/dispatches", token: own, json: app.dispatchBody(parties))
            #expect(created.status == .created)

            // Only the secretariat registers parties.
            #expect(try await app.call(.POST, "api/v1/experts", token: own, json: ["name": "x", "email": "x@example.jp"]).status == .forbidden)

            // Ownership on reads: the dispatch's own parties see it, others do not.
            for token in [own, businessToken, expertToken, adminToken] {
                #expect(try await app.call(.GET, "api/v1/dispatches/\(created.id)", token: token).status == .ok)
            }
            #expect(try await app.call(.GET, "api/v1/dispatches/\(created.id)", token: foreign).status == .forbidden)
            let foreignList = try await app.call(.GET, "api/v1/dispatches", token: foreign)
            #expect(foreignList["total"] as? Int == 0)
            let ownList = try await app.call(.GET, "api/v1/dispatches", token: businessToken)
            #expect(ownList["total"] as? Int == 1)
        }
    }

    @Test("NOTE-3: every change is in the audit log", arguments: TestDatabase.all)
    func testNOTE3_everyChangeIsInTheAuditLog(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            _ = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties))
            let actions = try await AuditEntryModel.query(on: app.db).sort(\.$seq).all().map(\.action)
            #expect(actions == ["institution.create", "expert.create", "business.create", "consultation.create", "dispatch.create"])
            #expect(try await AuditLog.verify(on: app.db, key: app.haken.auditKey) == .intact(entries: 5))
        }
    }

    /// A token is issued only for a party that exists and has the token's role; the
    /// secretariat's acts for nobody; a revoked token stops working at once.
    @Test(arguments: TestDatabase.all)
    func tokensNameRealPartiesOfTheirRoleAndCanBeRevoked(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let key = app.haken.auditKey
            let business = try #require(UUID(uuidString: parties.business))
            await #expect(throws: APITokens.Refusal.noSuchParty(.institution, business)) {
                _ = try await APITokens.issue(role: .institution, partyID: business, label: "x", on: app.db, key: key)
            }
            let nobody = UUID()
            await #expect(throws: APITokens.Refusal.noSuchParty(.expert, nobody)) {
                _ = try await APITokens.issue(role: .expert, partyID: nobody, label: "x", on: app.db, key: key)
            }
            await #expect(throws: APITokens.Refusal.partyNotAllowed) {
                _ = try await APITokens.issue(role: .secretariat, partyID: business, label: "x", on: app.db, key: key)
            }
            await #expect(throws: APITokens.Refusal.partyRequired(.business)) {
                _ = try await APITokens.issue(role: .business, partyID: nil, label: "x", on: app.db, key: key)
            }
            let token = try await APITokens.issue(role: .business, partyID: business, label: "ばそな建設の事務所", on: app.db, key: key)
            #expect(try await app.call(.GET, "api/v1/dispatches", token: token).status == .ok)
            let listed = try await APITokens.list(on: app.db)
            #expect(listed.count == 1 && listed.first?.label == "ばそな建設の事務所" && listed.first?.revokedAt == nil)
            let id = try #require(listed.first?.id)
            #expect(try await APITokens.revoke(id, on: app.db, key: key))
            #expect(try await !APITokens.revoke(id, on: app.db, key: key))
            #expect(try await app.call(.GET, "api/v1/dispatches", token: token).status == .unauthorized)
            let actions = try await AuditEntryModel.query(on: app.db).sort(\.$seq).all().map(\.action)
            #expect(actions.suffix(2) == ["token.issue", "token.revoke"])
        }
    }
}
