import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The work after the day on the pages (AFT-2, AFT-3) and the business's today page (DAY-1,
/// DAY-2, DAY-6), with the real database.
@Suite struct AfterTheDayWebTests {
    /// The guide's parties, a dispatch on 8月21日 (the clock is the next day), and a login for
    /// the business and the expert.
    static func setUp(_ app: Application) async throws -> (parties: SeededParties, dispatch: String, business: Browser, expert: Browser) {
        let parties = try await app.seedParties()
        let dispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties))
        try await WebFixtures.account(app, "taro@basona.example.jp", role: .business, party: parties.business)
        try await WebFixtures.account(app, "jiro-login@example.jp", role: .expert, party: parties.expert)
        let business = Browser(app), expert = Browser(app)
        try await business.signIn("taro@basona.example.jp")
        try await expert.signIn("jiro-login@example.jp")
        return (parties, dispatch.id, business, expert)
    }

    static func record(_ app: Application, _ dispatch: String, _ kind: EvidenceKind, _ status: EvidenceStatus = .accepted) async throws {
        try await EvidenceWriter.record([EvidenceChange(dispatchID: UUID(uuidString: dispatch)!, kind: kind, status: status, trust: .registered)],
                                        source: .init(actor: "test", receivedAt: app.hakenClock.now()), on: app.db, key: app.haken.auditKey,
                                        now: app.hakenClock.now())
    }

    @Test("AFT-2, AFT-3: the expert's report mails the link; it refuses without the photo, then certifies once", arguments: TestDatabase.all)
    func testAFT2_AFT3_reportThenCertification(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (_, id, business, expert) = try await Self.setUp(app)
            // Only the assigned expert sees the form.
            #expect(try await business.get("/dispatches/\(id)/report").status == .forbidden)
            let form = try await expert.get("/dispatches/\(id)/report")
            #expect(form.status == .ok && form.html.contains(#"value="10:30""#))
            let bad = try await expert.post("/dispatches/\(id)/report", ["actualStart": "15:00", "actualEnd": "10:30", "work": "", "travelExpenses": "0"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.fieldErrors["actualEnd"] == "実際の終了時刻は開始時刻より後にしてください。" && bad.fieldErrors["work"] == "支援内容を入力してください。")
            let filed = try await expert.post("/dispatches/\(id)/report", ["actualStart": "10:30", "actualEnd": "15:10", "work": "資金繰り表の作成",
                                                                          "nextSteps": "", "travelExpenses": "1,200"])
            #expect(filed.status == .seeOther && filed.location == "/dispatches/\(id)")
            #expect(try await expert.get("/dispatches/\(id)/report").status == .conflict, "filed once")
            let report = try #require(try await ExpertReportModel.query(on: app.db).first())
            #expect(report.actualEnd == "15:10" && report.travelExpensesYen == 1200)

            // AFT-2: the mail to the person in charge carries the link; no login needed.
            let link = try #require(try await WebFixtures.mailedLink(app, to: "info@basona.example.jp", prefix: "/certify/"))
            let stranger = Browser(app)
            let refused = try await stranger.get(link)
            #expect(refused.status == .conflict)
            #expect(refused.html.contains("支援状況写真がまだ届いていません"), "AFT-3: no certification before the photo")
            #expect(refused.html.contains("10:30〜15:10") && refused.html.contains("10:30〜15:00"), "the expert's times beside the schedule")
            // #12: the secretariat hears of the early attempt, once per link however often it is opened.
            #expect(try await stranger.get(link).status == .conflict)
            let found = try await Discrepancies.open(offset: 0, limit: 10, on: app.db)
            #expect(found.map(\.kind) == [.certificationBeforePhoto], "AFT-3: the early attempt is flagged, once")

            try await Self.record(app, id, .photo)
            try await stranger.get(link)
            let incomplete = try await stranger.post(link, ["times": "confirm"])
            #expect(incomplete.status == .unprocessableEntity && incomplete.fieldErrors["rating"] == "評価を入力してください。")
            let done = try await stranger.post(link, ["times": "confirm", "rating": "5", "comment": "丁寧でした"])
            #expect(done.status == .ok && done.html.contains("従事証明と評価を受け付けました"))
            let (facts, _, _) = try await DispatchRecords.records(for: try #require(try await DispatchModel.find(UUID(uuidString: id), on: app.db)), on: app.db)
            #expect(facts.evidence.status(.certification) == .accepted && facts.evidence.status(.expertReport) == .accepted)
            #expect(try await CertificationModel.query(on: app.db).first()?.rating == 5)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "certification.enter").count() == 1)
            // Single use.
            #expect(try await Browser(app).get(link).status == .gone)
            #expect(try await stranger.post(link, ["times": "confirm", "rating": "1"]).status == .gone)
        }
    }

    @Test("DEC-2: disputed times go to the secretariat for review", arguments: TestDatabase.all)
    func testDEC2_disputedCertificationGoesToReview(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (_, id, _, expert) = try await Self.setUp(app)
            try await expert.get("/dispatches/\(id)/report")
            try await expert.post("/dispatches/\(id)/report", ["actualStart": "10:30", "actualEnd": "15:00", "work": "販路開拓", "travelExpenses": "0"])
            try await Self.record(app, id, .photo, .review)
            let link = try #require(try await WebFixtures.mailedLink(app, to: "info@basona.example.jp", prefix: "/certify/"))
            let browser = Browser(app)
            try await browser.get(link)
            let noReason = try await browser.post(link, ["times": "dispute", "rating": "3"])
            #expect(noReason.fieldErrors["disputeReason"] == "実際の時刻と内容を入力してください。")
            let done = try await browser.post(link, ["times": "dispute", "disputeReason": "終了は14:00でした", "rating": "3"])
            #expect(done.status == .ok)
            let row = try #require(try await EvidenceModel.query(on: app.db).filter(\.$kind == "certification").first())
            #expect(row.status == "review" && row.note?.contains("終了は14:00でした") == true)
        }
    }

    @Test("AFT-2: a certification link expires", arguments: TestDatabase.all)
    func certificationLinkExpires(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (_, id, _, expert) = try await Self.setUp(app)
            try await expert.get("/dispatches/\(id)/report")
            try await expert.post("/dispatches/\(id)/report", ["actualStart": "10:30", "actualEnd": "15:00", "work": "販路開拓", "travelExpenses": "0"])
            let link = try #require(try await WebFixtures.mailedLink(app, to: "info@basona.example.jp", prefix: "/certify/"))
            app.hakenClock = .fixed(dayAfterExample.addingTimeInterval(31 * 24 * 3600))
            let page = try await Browser(app).get(link)
            #expect(page.status == .gone && page.html.contains("有効期限が切れています"))
        }
    }

    @Test("DAY-1, DAY-6: the today page's mailto subjects, and the report shown once processed", arguments: TestDatabase.all)
    func testDAY1_todayPage(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (_, id, business, expert) = try await Self.setUp(app)
            let page = try await business.get("/dispatches/\(id)/today")
            #expect(page.status == .ok)
            // 2019-08-22 12:00 JST is "now": the subject carries it (RFC 6068, UTF-8 percent-encoded).
            let subject = ReportMailLinks.timeSubject(business: "ばそな建設", expert: "専門家次郎", date: CivilDate(iso: "2019-08-22")!, time: TimeOfDay(hhmm: "12:00")!)
            #expect(subject == "ばそな建設/専門家次郎/8月22日 12:00")
            #expect(page.html.contains(ReportMailLinks.mailto(to: "senmonka-haken@localhost", subject: subject)))
            #expect(page.html.contains("ばそな建設/専門家次郎/8月21日(水)10:30~15:00"))
            #expect(page.html.contains(#"<script src="/assets/today.js" defer></script>"#))
            #expect(try await expert.get("/dispatches/\(id)/today").status == .forbidden, "the today page is the business's")

            let before = try await business.send(.GET, "/dispatches/\(id)/status.json", body: nil, contentType: nil, accept: "application/json")
            #expect(before.html.contains(#""startReport":{"#) && before.html.contains(#""status":"missing""#))
            try await Self.record(app, id, .startReport)
            let after = try await business.send(.GET, "/dispatches/\(id)/status.json", body: nil, contentType: nil, accept: "application/json")
            #expect(after.html.contains(#""label":"受理""#))
            // The script it loads is served, as a script.
            let script = try await business.get("/assets/today.js")
            #expect(script.status == .ok && script.headers.contentType?.subType == "javascript")
        }
    }
}
