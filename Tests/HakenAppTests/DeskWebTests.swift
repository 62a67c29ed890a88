import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The secretariat's desk as a person uses it (#11): the pages, their forms with CSRF, and a
/// queue cleared one item after another.
@Suite struct DeskWebTests {
    typealias Mail = MailIntakeTests

    func secretariat(_ app: Application) async throws -> Browser {
        try await WebFixtures.signedIn(app, "desk@secretariat.example.jp", role: .secretariat, party: nil)
    }

    @Test("DEC-7: a mobile report is accepted from its queue on the desk's pages", arguments: TestDatabase.all)
    func mobileReportAcceptedOnThePage(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "someone.genba@ezweb.ne.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:35"))
            let browser = try await secretariat(app)
            let home = try await browser.get("/desk")
            #expect(home.status == .ok && home.html.contains("登録外アドレスからの報告") && home.html.contains("id=\"queue-unknownSender\""))
            let list = try await browser.get("/desk/mail?queue=unknownSender&q=&status=&from=&to=")
            #expect(list.status == .ok && list.html.contains("someone.genba@ezweb.ne.jp"))
            let id = try await world.lastMail().requireID().uuidString.lowercased()
            let page = try await browser.get("/desk/mail/\(id)?queue=unknownSender")
            #expect(page.html.contains("受理する") && page.html.contains("ばそな建設/専門家次郎/8月21日 10:30"))
            #expect(page.html.contains("/desk/mail/\(id)/raw"))
            let forged = try await browser.post("/desk/mail/\(id)", ["decision": "accept", "queue": "unknownSender"], withCSRF: false)
            #expect(forged.status == .forbidden)
            let decided = try await browser.post("/desk/mail/\(id)", ["decision": "accept", "queue": "unknownSender"])
            #expect(decided.status == .seeOther && decided.location == "/desk/mail?queue=unknownSender")
            #expect(try await world.evidence("startReport")["status"] as? String == "accepted")
            let again = try await browser.get("/desk/mail/\(id)")
            #expect(!again.html.contains(">受理する<") && again.html.contains("事務局の判断"))
        }
    }

    @Test("DEC-8: an unmatched mail is assigned on its page; dismissing without a reason is refused with the reason shown", arguments: TestDatabase.all)
    func unmatchedAssignedOnThePage(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/山田花子/8月21日 15:00"), at: Mail.on21("15:05"))
            let id = try await world.lastMail().requireID().uuidString.lowercased()
            let browser = try await secretariat(app)
            let page = try await browser.get("/desk/mail/\(id)?queue=unmatched")
            #expect(page.html.contains("派遣に割り当てる") && page.html.contains("value=\"\(world.dispatch)\" checked"))
            let refused = try await browser.post("/desk/mail/\(id)", ["decision": "dismiss", "queue": "unmatched"])
            #expect(refused.location == "/desk/mail/\(id)?queue=unmatched")
            #expect(try await browser.get(refused.location ?? "").html.contains("理由を入力してください"))
            let assigned = try await browser.post("/desk/mail/\(id)", ["decision": "assign", "dispatchId": world.dispatch, "kind": "endReport",
                                                                        "queue": "unmatched"])
            #expect(assigned.status == .seeOther)
            #expect(try await world.evidence("endReport")["status"] as? String == "accepted")
        }
    }

    @Test("DAY-5: the photo screen shows the photo beside the consultation and who must be in it; accepted with all points", arguments: TestDatabase.all)
    func photoCheckedOnItsScreen(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:00", jpeg: true),
                                     at: Mail.on21("15:10"))
            let browser = try await secretariat(app)
            let queue = try await browser.get("/desk/photos")
            #expect(queue.html.contains("/desk/photos/\(world.dispatch)"))
            let screen = try await browser.get("/desk/photos/\(world.dispatch)")
            #expect(screen.html.contains("派遣 太郎") && screen.html.contains("/desk/photos/\(world.dispatch)/file"))
            let image = try await browser.send(.GET, "/desk/photos/\(world.dispatch)/file", body: nil, contentType: nil, accept: "image/*")
            #expect(image.headers.contentType == .jpeg)
            let partial = try await browser.post("/desk/photos/\(world.dispatch)", pairs: [("decision", "accept"), ("confirmed[]", "expertPresent")])
            #expect(try await browser.get(partial.location ?? "").html.contains("すべての確認項目にチェック"))
            let accepted = try await browser.post("/desk/photos/\(world.dispatch)",
                                                  pairs: [("decision", "accept")] + PhotoCheck.Point.allCases.map { ("confirmed[]", $0.rawValue) })
            #expect(accepted.location == "/desk/photos")
            #expect(try await PhotoReview.count(on: app.db) == 0)
            #expect(try await browser.get("/desk/photos/\(world.dispatch)").html.contains("確認済み"))
        }
    }

    @Test("DAY-4: a declaration scan is recorded on its page; errors stay beside their fields", arguments: TestDatabase.all)
    func declarationRecordedOnItsPage(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            app.hakenClock = .fixed(dayAfterExample)
            let browser = try await secretariat(app)
            let page = try await browser.get("/desk/dispatches/\(world.dispatch)/declarations")
            #expect(page.html.contains("報告失念") && page.html.contains("この派遣に必要な申告書"))
            let pdf = Array("%PDF-1.4 declaration".utf8)
            let missingSeal = try await browser.postMultipart("/desk/dispatches/\(world.dispatch)/declarations",
                                                              ["variant": "reportForgotten", "covers[]": "startReport", "receipt": "scan",
                                                               "sealedByBusiness": "on", "sealedByExpert": "on", "decision": "accept"],
                                                              file: ("file", "declaration.pdf", pdf))
            #expect(missingSeal.status == .unprocessableEntity && missingSeal.html.contains("三者の記名押印"))
            let recorded = try await browser.postMultipart("/desk/dispatches/\(world.dispatch)/declarations",
                                                           ["variant": "reportForgotten", "covers[]": "startReport", "receipt": "scan",
                                                            "sealedByBusiness": "on", "sealedByExpert": "on", "sealedByInstitution": "on",
                                                            "decision": "accept"],
                                                           file: ("file", "declaration.pdf", pdf))
            #expect(recorded.status == .seeOther)
            let after = try await browser.get("/desk/dispatches/\(world.dispatch)/declarations")
            #expect(after.html.contains("記録済みの申告書") && after.html.contains("スキャン"))
        }
    }
}
