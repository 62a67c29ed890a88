import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// NOTE-3: the audit log as the secretariat reads it, overall and per dispatch, with the chain's status.
@Suite struct AuditViewTests {
    typealias Mail = MailIntakeTests

    @Test("NOTE-3: a dispatch's trail holds its mail and every change, in Japanese; the whole chain verifies on request", arguments: TestDatabase.all)
    func testNOTE3_auditViews(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:31"))
            let desk = try await WebFixtures.signedIn(app, "audit@secretariat.example.jp", role: .secretariat, party: nil)
            let trail = try await desk.get("/desk/dispatches/\(world.dispatch)/audit")
            #expect(trail.status == .ok)
            #expect(trail.html.contains("派遣を登録") && trail.html.contains("メールを受信・処理"))
            let overall = try await desk.get("/desk/audit")
            #expect(overall.html.contains("チェーンの状態") && overall.html.contains("最新の記録"))
            let verified = try await desk.post("/desk/audit/verify", [:])
            #expect(verified.status == .seeOther)
            #expect(try await desk.get("/desk/audit").html.contains("改ざんされていません"))

            let api = try await app.testing().sendRequest(.GET, "api/v1/dispatches/\(world.dispatch)/audit") {
                $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
            }
            let items = try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as? [[String: Any]] ?? []
            let actions = items.compactMap { $0["action"] as? String }
            #expect(actions.first == "dispatch.create" && actions.contains("mail.process"))
            let seqs = items.compactMap { $0["seq"] as? Int }
            #expect(seqs == seqs.sorted())
            let status = try await app.call(.POST, "api/v1/audit/verify")
            #expect(status["intact"] as? Bool == true)
            let page = try await app.testing().sendRequest(.GET, "api/v1/audit?per=2") { $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken) }
            let newest = try JSONSerialization.jsonObject(with: Data(buffer: page.body)) as? [[String: Any]] ?? []
            #expect(newest.count == 2)
            let csv = try await desk.send(.GET, "/desk/dispatches/\(world.dispatch)/audit.csv", body: nil, contentType: nil, accept: "text/csv")
            #expect(csv.html.contains("番号,日時,実行者,操作,対象,内容") && csv.html.contains("派遣を登録"))
        }
    }
}
