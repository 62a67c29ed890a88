import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenMail
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// CSV that Japanese Excel opens (#11), and the photo-consent register (AFT-1).
@Suite struct ExportTests {
    typealias Mail = MailIntakeTests

    @Test("CSV: UTF-8 with a BOM by default, CP932 on request, RFC 4180 quoting, formulas defused, each role its own rows", arguments: TestDatabase.all)
    func csvOpensInJapaneseExcel(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "stranger@example.com", subject: "=HYPERLINK(\"http://x\",\"見積\") 😀, \"至急\""), at: Mail.on21("12:00"))
            let desk = try await WebFixtures.signedIn(app, "csv@secretariat.example.jp", role: .secretariat, party: nil)
            let utf8 = try await desk.send(.GET, "/desk/mail.csv", body: nil, contentType: nil, accept: "text/csv")
            #expect(utf8.status == .ok)
            #expect(utf8.headers.contentType?.description == "text/csv; charset=utf-8")
            #expect(utf8.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''%E5%8F%97") == true)
            let bytes = Array(utf8.html.utf8)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let lines = utf8.html.dropFirst().components(separatedBy: "\r\n")
            #expect(lines.first == "受信日時,差出人,件名,状態,理由,確認が必要な点,派遣ID,事務局の判断,判断者,判断日時,メールID")
            #expect(utf8.html.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"見積\"\") 😀, \"\"至急\"\"\""))   // quoted, quotes doubled, formula defused

            let cp932 = try await desk.send(.GET, "/desk/mail.csv?encoding=cp932", body: nil, contentType: nil, accept: "text/csv")
            #expect(cp932.headers.contentType?.description == "text/csv; charset=Shift_JIS")
            let raw = Array(cp932.html.utf8)   // the body as bytes (not valid UTF-8)
            let body = try #require(try await app.testing().sendRequest(.GET, "/desk/mail.csv?encoding=cp932") {
                $0.headers.replaceOrAdd(name: .cookie, value: "hakendesk_session=\(desk.cookie ?? "")")
            }.body)
            let cp932Bytes = Array(body.readableBytesView)
            #expect(cp932Bytes.starts(with: [0x8E, 0xF3, 0x90, 0x4D]))   // 受信
            #expect(cp932Bytes.contains(0x81) && !raw.isEmpty)
            #expect(Self.contains(cp932Bytes, [0x81, 0xAC]))             // 😀 → 〓
            #expect(try await desk.send(.GET, "/desk/mail.csv?encoding=latin1", body: nil, contentType: nil, accept: "text/csv").status == .badRequest)

            // The dispatch list: a business gets its own rows only.
            let business = try await WebFixtures.signedIn(app, "csv@basona.example.jp", role: .business, party: world.parties.business)
            let own = try await business.send(.GET, "/dispatches.csv", body: nil, contentType: nil, accept: "text/csv")
            #expect(own.html.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2)
            #expect(own.html.contains(world.dispatch) && own.html.contains("ばそな建設"))
            let stranger = try await WebFixtures.signedIn(app, "csv@other.example.jp", role: .business, party: UUID().uuidString)
            let none = try await stranger.send(.GET, "/dispatches.csv", body: nil, contentType: nil, accept: "text/csv")
            #expect(!none.html.contains(world.dispatch))
            #expect(try await business.send(.GET, "/desk/mail.csv", body: nil, contentType: nil, accept: "text/csv").status == .forbidden)
        }
    }

    static func contains(_ bytes: [UInt8], _ part: [UInt8]) -> Bool {
        guard bytes.count >= part.count else { return false }
        return (0...(bytes.count - part.count)).contains { Array(bytes[$0..<($0 + part.count)]) == part }
    }

    @Test("CP932: what it cannot hold becomes 〓 and is counted; NEC and IBM extensions are kept")
    func cp932Substitutes() {
        let (bytes, substituted) = CP932.encode("①㈱髙😀")
        #expect(substituted == 1)
        #expect(bytes == [0x87, 0x40, 0x87, 0x8A, 0xFB, 0xFC, 0x81, 0xAC])
        #expect(CP932.encode("派遣").bytes == [0x94, 0x68, 0x8C, 0xAD])
    }

    @Test("AFT-1: a consent by post is recorded by hand with its day, accepted, and covers the fiscal year; a mailed one links its mail", arguments: TestDatabase.all)
    func testAFT1_consentRegister(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "同意書の送付", pdfName: "同意書.pdf"), at: Mail.on21("16:00"))
            let mailID = try await world.lastMail().requireID().uuidString.lowercased()
            var register = try await array(app, "api/v1/desk/consents?status=review")
            #expect(register.count == 1 && register.first?["mailId"] as? String == mailID)
            let consentID = try #require(register.first?["id"] as? String)
            #expect(try await app.call(.POST, "api/v1/desk/consents/\(consentID)/decision", json: ["decision": "reject"]).field == "reason")
            let rejected = try await app.call(.POST, "api/v1/desk/consents/\(consentID)/decision", json: ["decision": "reject", "reason": "署名がない"])
            #expect(rejected["status"] as? String == "rejected")

            // The signed original then arrives by post, from the institution.
            let unknown = try await app.call(.POST, "api/v1/desk/consents", json: ["business": "存在しない会社", "receivedOn": "2019-08-21"])
            #expect(unknown.field == "business")
            let future = try await app.call(.POST, "api/v1/desk/consents", json: ["business": "ばそな建設", "receivedOn": "2030-01-01"])
            #expect(future.field == "receivedOn")
            let post = try await app.call(.POST, "api/v1/desk/consents", json: ["business": "info@basona.example.jp", "receivedOn": "2019-08-21",
                                                                                 "from": "institution"])
            #expect(post.status == .created && post["fiscalYear"] as? Int == 2019)
            #expect(try await app.call(.POST, "api/v1/desk/consents", json: ["business": "ばそな建設", "receivedOn": "2019-08-21"]).status == .conflict)
            register = try await array(app, "api/v1/desk/consents?fiscalYear=2019")
            #expect(register.first?["status"] as? String == "accepted" && register.first?["source"] as? String == "post-institution")
            #expect(try await world.evidence("photoConsent")["status"] as? String == "accepted")

            let desk = try await WebFixtures.signedIn(app, "consents@secretariat.example.jp", role: .secretariat, party: nil)
            app.hakenClock = .fixed(dayAfterExample)
            let page = try await desk.get("/desk/consents?year=2019")
            #expect(page.html.contains("同意書の台帳") && page.html.contains("郵送（支援機関から）"))
            let csv = try await desk.send(.GET, "/desk/consents.csv", body: nil, contentType: nil, accept: "text/csv")
            #expect(csv.html.contains("ばそな建設,2019年度,令和元年度,受理,2019/08/21 09:00"))
        }
    }

    @Test("#13: dates as Japanese Excel reads them (2019/08/21, 和暦 beside), and a dispatch's whole record as one table", arguments: TestDatabase.all)
    func excelDatesAndTheRecord(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:41"))
            app.hakenClock = .fixed(dayAfterExample)
            let desk = try await WebFixtures.signedIn(app, "excel@secretariat.example.jp", role: .secretariat, party: nil)
            let list = try await desk.send(.GET, "/dispatches.csv", body: nil, contentType: nil, accept: "text/csv").html
            let lines = list.dropFirst().components(separatedBy: "\r\n")
            #expect(lines.first == "支援日,支援日（和暦）,開始,終了,事業者,専門家,場所,状況,謝金の支払,未了の項目,最終期限,年度,年度（和暦）,派遣ID")
            #expect(list.contains("2019/08/21,令和元年8月21日,10:30,15:00,ばそな建設,専門家次郎") && list.contains(",2019年度,令和元年度,\(world.dispatch)"))
            #expect(list.contains(",2019/09/19,2019年度"), "the deadline too")
            let mail = try await desk.send(.GET, "/desk/mail.csv", body: nil, contentType: nil, accept: "text/csv").html
            #expect(mail.contains("\r\n2019/08/21 10:41,info@basona.example.jp,"))
            let audit = try await desk.send(.GET, "/desk/audit.csv", body: nil, contentType: nil, accept: "text/csv").html
            let stamps = audit.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",")[1] }
            #expect(!stamps.isEmpty && stamps.allSatisfy { $0.hasPrefix("2019/08/2") && $0.count == 19 }, "\(stamps)")

            let dispatchID = try #require(UUID(uuidString: world.dispatch))
            let stored = try #require(try await MailInbox.forDispatch(dispatchID, on: app.db).first)
            let raw = try #require(try await MailInbox.raw(stored.id, blobs: BlobStore(root: app.haken.configuration.store.blobDirectory), on: app.db))
            let record = try await desk.send(.GET, "/desk/dispatches/\(world.dispatch)/record.csv", body: nil, contentType: nil, accept: "text/csv")
            #expect(record.status == .ok && record.headers.contentType?.description == "text/csv; charset=utf-8")
            #expect(record.html.contains("区分,日時,項目,内容,SHA-256・ハッシュ"))
            #expect(record.html.contains("派遣,2019/08/21,支援日,10:30〜15:00 ばそな建設 本社会議室,"))
            #expect(record.html.contains("派遣,令和元年8月21日,支援日（和暦）"))
            #expect(record.html.contains("提出物,2019/08/21 10:41,支援開始時刻の報告,受理,"))
            #expect(record.html.contains("受信メール,2019/08/21 10:41,info@basona.example.jp,") && record.html.contains(SHA256.hash(data: raw).hexString))
            #expect(record.html.contains("監査ログ "))
            let business = try await WebFixtures.signedIn(app, "excel@basona.example.jp", role: .business, party: world.parties.business)
            #expect(try await business.send(.GET, "/desk/dispatches/\(world.dispatch)/record.csv", body: nil, contentType: nil, accept: "text/csv").status == .forbidden)
        }
    }

    func array(_ app: Application, _ path: String) async throws -> [[String: Any]] {
        let response = try await app.testing().sendRequest(.GET, path) { $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken) }
        return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]] ?? []
    }
}
