import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// #13: the printed forms reached from the pages where they are needed, filled from the real
/// database and read back with poppler's pdftotext.
@Suite struct FormsWebTests {
    typealias Setup = AfterTheDayWebTests

    /// The PDF's text without white space (cells wrap where the layout decided).
    static func text(_ page: WebPage) throws -> String {
        #expect(page.status == .ok)
        #expect(page.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
        #expect(page.headers.first(name: .cacheControl) == "no-store")
        #expect(page.bytes.starts(with: Array("%PDF-".utf8)))
        return Poppler.squeezed(try Poppler.text(of: page.bytes))
    }

    @Test("DAY-4, DAY-7: the declaration is printed from the business's checklist, pre-filled, for each party; the desk prints every variant",
          arguments: TestDatabase.all)
    func declarationFromTheChecklist(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (parties, id, business, expert) = try await Setup.setUp(app)
            // The day has passed with no report: the declaration for it is needed (the photo may still come).
            let page = try await business.get("/dispatches/\(id)")
            let forgotten = "/dispatches/\(id)/forms/declaration.pdf?variant=reportForgotten"
            let photo = "/dispatches/\(id)/forms/declaration.pdf?variant=photoDeficient"
            #expect(page.html.contains("書類（印刷用 PDF）") && page.html.contains(forgotten) && !page.html.contains(photo))
            #expect(page.html.contains("/businesses/\(parties.business)/forms/consent.pdf?year=2019"), "AFT-1: this year's consent is missing")
            #expect(!page.html.contains("record.pdf") && !page.html.contains("expert-report.pdf"))

            let text = try Self.text(try await business.get(forgotten))
            for piece in ["支援実施申告書兼再発防止誓約書", "ばそな建設", "派遣太郎", "専門家次郎", "東京都よろず支援拠点", "令和元年8月21日(水)", "10:30〜15:00",
                          "ばそな建設本社会議室", "申告の内容（報告失念）", "■支援開始時刻の報告受信なし", "■支援終了時刻の報告受信なし",
                          "中小企業者等（ご担当者）", "印", "整理番号DCL-20190821-\(id.prefix(8).uppercased())", "作成日令和元年8月22日", "1/1"] {
                #expect(text.contains(piece), "「\(piece)」")
            }
            let photoText = try Self.text(try await expert.get(photo))
            #expect(photoText.contains("申告の内容（写真不備）") && photoText.contains("■支援状況写真受信なし"))

            // The institution prints it too; a variant that does not exist is a clear 400.
            try await WebFixtures.account(app, "staff@yorozu.example.jp", role: .institution, party: parties.institution)
            let institution = Browser(app)
            try await institution.signIn("staff@yorozu.example.jp")
            #expect(try await institution.get(forgotten).status == .ok)
            let wrong = try await institution.get("/dispatches/\(id)/forms/declaration.pdf?variant=lost", accept: "application/json")
            #expect(wrong.status == .badRequest && wrong.html.contains("申告書の種類は"))

            // The secretariat's declaration screen offers every variant, and the API the same file.
            try await WebFixtures.account(app, "desk@haken.example.jp", role: .secretariat, party: nil)
            let desk = Browser(app)
            try await desk.signIn("desk@haken.example.jp")
            let screen = try await desk.get("/desk/dispatches/\(id)/declarations")
            #expect(screen.html.contains("申告書を印刷する（PDF）") && screen.html.contains("variant=timeCorrected"))
            let api = try await app.call(.GET, "api/v1/dispatches/\(id)/forms/declaration.pdf?variant=timeCorrected")
            #expect(api.status == .ok && api.headers.contentType?.subType == "pdf")

            // Once an accepted declaration covers what was missing, the page no longer offers one.
            try await Setup.record(app, id, .declaration)
            #expect(!(try await business.get("/dispatches/\(id)").html.contains("forms/declaration.pdf")))
        }
    }

    @Test("AFT-2: the expert's report and the certification print as entered; the expert never gets its own evaluation",
          arguments: TestDatabase.all)
    func reportAndCertification(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (_, id, business, expert) = try await Setup.setUp(app)
            #expect(try await business.get("/dispatches/\(id)/forms/expert-report.pdf").status == .notFound)
            try await expert.get("/dispatches/\(id)/report")
            #expect(try await expert.post("/dispatches/\(id)/report", ["actualStart": "10:30", "actualEnd": "15:10", "work": "資金繰り表の作成と回収条件の見直し",
                                                                      "nextSteps": "金融機関への相談資料", "travelExpenses": "12,340"]).status == .seeOther)
            let report = try Self.text(try await business.get("/dispatches/\(id)/forms/expert-report.pdf"))
            for piece in ["支援報告書（旅費請求を含む）", "10:30〜15:10", "資金繰り表の作成と回収条件の見直し", "金融機関への相談資料", "12,340円", "令和元年8月22日"] {
                #expect(report.contains(piece), "「\(piece)」")
            }
            #expect(try await business.get("/dispatches/\(id)").html.contains("/dispatches/\(id)/forms/expert-report.pdf"))

            try await Setup.record(app, id, .photo)
            let link = try #require(try await WebFixtures.mailedLink(app, to: "info@basona.example.jp", prefix: "/certify/"))
            let visitor = Browser(app)
            try await visitor.get(link)
            #expect(try await visitor.post(link, ["times": "confirm", "rating": "4", "comment": "具体的でよく分かりました"]).status == .ok)
            let certified = try Self.text(try await business.get("/dispatches/\(id)/forms/certification.pdf"))
            for piece in ["従事証明・専門家評価（入力内容の控え）", "専門家の報告した時刻のとおり", "4（満足）", "具体的でよく分かりました"] {
                #expect(certified.contains(piece), "「\(piece)」")
            }
            #expect(try await business.get("/dispatches/\(id)").html.contains("forms/certification.pdf"))
            // The expert it rates: no link, and the file is refused.
            #expect(!(try await expert.get("/dispatches/\(id)").html.contains("forms/certification.pdf")))
            #expect(try await expert.get("/dispatches/\(id)/forms/certification.pdf").status == .forbidden)
        }
    }

    @Test("AFT-1: the consent form is filled from the business's details for the year asked, with that year's dispatches",
          arguments: TestDatabase.all)
    func consentForm(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let (parties, _, business, expert) = try await Setup.setUp(app)
            let details = try await business.get("/business/details")
            #expect(details.html.contains("/businesses/\(parties.business)/forms/consent.pdf?year=2019"))
            let text = try Self.text(try await business.get("/businesses/\(parties.business)/forms/consent.pdf"))
            for piece in ["写真提出の同意書", "令和元年度（2019年4月1日から2020年3月31日まで）", "ばそな建設", "派遣太郎", "info@basona.example.jp",
                          "令和元年8月21日(水)専門家次郎", "整理番号CNS-2019-\(parties.business.prefix(8).uppercased())"] {
                #expect(text.contains(piece), "「\(piece)」")
            }
            // Another year has no dispatch of this business; a year outside the programme is refused.
            let next = try Self.text(try await business.get("/businesses/\(parties.business)/forms/consent.pdf?year=2020"))
            #expect(next.contains("令和2年度") && !next.contains("専門家次郎"))
            let refused = try await business.get("/businesses/\(parties.business)/forms/consent.pdf?year=1999", accept: "application/json")
            #expect(refused.status == .unprocessableEntity && refused.html.contains("2019年度から"))
            #expect(try await business.get("/businesses/\(parties.business)/forms/consent.pdf?year=soon", accept: "application/json").status == .badRequest)
            #expect(try await expert.get("/businesses/\(parties.business)/forms/consent.pdf").status == .forbidden)
        }
    }

    @Test("DEC-2: the time-correction declaration prints the time the rejected report's subject gave", arguments: TestDatabase.all)
    func timeCorrection(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let world = try await MailIntakeTests.World.make(app)
            _ = try await world.send(MailIntakeTests.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:45"),
                                     at: MailIntakeTests.on21("10:52"))
            app.hakenClock = .fixed(dayAfterExample)
            // The secretariat rejects it after review (as the desk does, with its own trust).
            try await EvidenceWriter.record([EvidenceChange(dispatchID: try #require(UUID(uuidString: world.dispatch)), kind: .startReport, status: .rejected,
                                                            trust: .secretariat, note: "件名の時刻が実際と違う")],
                                            source: .init(actor: "test", receivedAt: app.hakenClock.now()), on: app.db, key: app.haken.auditKey,
                                            now: app.hakenClock.now())
            let desk = try await WebFixtures.signedIn(app, "forms@secretariat.example.jp", role: .secretariat, party: nil)
            let page = try await desk.get("/dispatches/\(world.dispatch)")
            #expect(page.html.contains("variant=timeCorrected"), "the dispatch asks for the time correction")
            let text = try Self.text(try await desk.get("/dispatches/\(world.dispatch)/forms/declaration.pdf?variant=timeCorrected", accept: "application/pdf"))
            #expect(text.contains("申告の内容（報告時刻訂正）") && text.contains("件名の時刻10:45"), "\(text.prefix(600))")
        }
    }

    @Test("NOTE-3: the record for an auditor carries every mail's SHA-256 as stored and the audit chain's hashes", arguments: TestDatabase.all)
    func auditorsRecord(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let world = try await MailIntakeTests.World.make(app)
            _ = try await world.send(MailIntakeTests.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"),
                                     at: MailIntakeTests.on21("10:41"))
            app.hakenClock = .fixed(dayAfterExample)
            let dispatchID = try #require(UUID(uuidString: world.dispatch))
            let mail = try #require(try await MailInbox.forDispatch(dispatchID, on: app.db).first)
            let raw = try #require(try await MailInbox.raw(mail.id, blobs: BlobStore(root: app.haken.configuration.store.blobDirectory), on: app.db))
            let digest = SHA256.hash(data: raw).hexString
            let trail = try await AuditListing.trail(try await AuditListing.subjects(ofDispatch: dispatchID, on: app.db), limit: 100, on: app.db)
            #expect(!trail.isEmpty)

            try await WebFixtures.account(app, "desk@haken.example.jp", role: .secretariat, party: nil)
            let desk = Browser(app)
            try await desk.signIn("desk@haken.example.jp")
            #expect(try await desk.get("/dispatches/\(world.dispatch)").html.contains("/desk/dispatches/\(world.dispatch)/record.pdf"))
            let text = try Self.text(try await desk.get("/desk/dispatches/\(world.dispatch)/record.pdf"))
            for piece in ["派遣記録（監査用）", "受信したメール（1通）", "info@basona.example.jp", "ばそな建設/専門家次郎/8月21日10:30", "令和元年8月21日10:41",
                          digest, "監査ログ（\(trail.count)件）"] + trail.map(\.hash) + trail.map(\.action) {
                #expect(text.contains(Poppler.squeezed(piece)), "「\(piece)」")
            }
            let api = try await app.call(.GET, "api/v1/dispatches/\(world.dispatch)/forms/record.pdf")
            #expect(api.status == .ok)
        }
    }
}
