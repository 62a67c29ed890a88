import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// Mail from intake to evidence (DAY-1…DAY-7, DEC-2…DEC-9), through `POST /api/v1/inbound-mail`
/// and the same processor `hakendesk serve` runs.
@Suite struct MailIntakeTests {
    /// 2019-08-21 at `hhmm` in Tokyo.
    static func on21(_ hhmm: String) -> Date {
        let time = TimeOfDay(hhmm: hhmm)!
        return Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: CivilDate(iso: "2019-08-21")!, time: time)))
    }

    static func mail(from: String, subject: String, id: String = UUID().uuidString, jpeg: Bool = false, pdfName: String? = nil,
                     extraHeaders: [String] = []) -> String {
        let encodedSubject = "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        var lines = ["From: \(from)", "To: senmonka-haken@localhost", "Subject: \(encodedSubject)",
                     "Date: Wed, 21 Aug 2019 10:30:00 +0900", "Message-ID: <\(id)@test>", "MIME-Version: 1.0"] + extraHeaders
        if !jpeg && pdfName == nil {
            lines += ["Content-Type: text/plain; charset=UTF-8", "", ""]
            return lines.joined(separator: "\r\n")
        }
        lines += ["Content-Type: multipart/mixed; boundary=\"b\"", "", "--b", "Content-Type: text/plain; charset=UTF-8", "", ""]
        if jpeg {
            lines += ["--b", "Content-Type: image/jpeg", "Content-Disposition: attachment; filename=\"photo.jpg\"",
                      "Content-Transfer-Encoding: base64", "", Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9]).base64EncodedString()]
        }
        if let pdfName {
            lines += ["--b", "Content-Type: application/pdf", "Content-Disposition: attachment; filename*=UTF-8''\(pdfName.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                      "Content-Transfer-Encoding: base64", "", Data("%PDF-1.4 consent".utf8).base64EncodedString()]
        }
        lines += ["--b--", ""]
        return lines.joined(separator: "\r\n")
    }

    struct World {
        var app: Application
        var parties: SeededParties
        var dispatch: String

        /// The guide's parties and one dispatch on 2019-08-21, in an app already running.
        static func make(_ app: Application) async throws -> World {
            let parties = try await app.seedParties()
            let dispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties)).id
            return World(app: app, parties: parties, dispatch: dispatch)
        }

        /// Delivers `raw` through the MTA pipe; the envelope sender is the From address unless given.
        func send(_ raw: String, at moment: Date, token: String = adminToken, envelope: String? = nil) async throws -> JSONResponse {
            app.hakenClock = .fixed(moment)
            let from = raw.split(separator: "\r\n").first { $0.hasPrefix("From: ") }.map { String($0.dropFirst(6)) } ?? ""
            let response = try await app.call(.POST, "api/v1/inbound-mail", token: token, rawBody: raw,
                                              headers: ["X-Envelope-From": envelope ?? from])
            let processor = MailProcessor(services: app.haken, clock: app.hakenClock)
            try await processor.processQueued(on: app.db, logger: app.logger)
            return response
        }

        func evidence(_ kind: String, today: Date = dayAfterExample) async throws -> [String: Any] {
            app.hakenClock = .fixed(today)
            let shown = try await app.call(.GET, "api/v1/dispatches/\(dispatch)")
            return (shown["evidence"] as? [String: [String: Any]])?[kind] ?? [:]
        }

        func lastMail() async throws -> InboundMailModel {
            try #require(try await InboundMailModel.query(on: app.db).sort(\.$receivedAt, .descending).first())
        }

        /// Receipts only (the outbox also holds the mobile address's verification link).
        func receipts() async throws -> [OutboxModel] {
            try await OutboxModel.query(on: app.db)
                .filter(\.$kind !~ [Outbox.Kind.addressVerification, .accountLink, .certificationRequest, .dispatchNotice].map(\.rawValue))
                .sort(\.$createdAt).all()
        }
    }

    func withWorld(_ database: TestDatabase, mail: MailSettings = MailSettings(), _ body: (World) async throws -> Void) async throws {
        try await database.withHakenApp(mail: mail) { app in
            try await body(try await World.make(app))
        }
    }

    @Test("DAY-1: start report on time is accepted with a receipt", arguments: TestDatabase.all)
    func testDAY1_startReportOnTimeIsAcceptedWithAReceipt(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            let response = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:42"))
            #expect(response.status == .accepted)
            #expect(try await world.evidence("startReport")["status"] as? String == "accepted")
            let mail = try await world.lastMail()
            #expect(mail.status == "matched")
            #expect(mail.evidenceKind == "startReport")
            let receipts = try await world.receipts()
            #expect(receipts.count == 1)
            #expect(receipts.first?.recipient == "info@basona.example.jp")
            #expect(receipts.first?.body.contains("8月21日(水) 10:30 の支援開始報告を受け付けました") == true)
            #expect(receipts.first?.raw.contains("Auto-Submitted: auto-replied") == true)
        }
    }

    /// Mails queued together are processed in one batch: a later mail sees what an earlier
    /// one recorded, and a mail that cannot be read goes to a person without holding back
    /// the others.
    @Test("DEC-8: batch sees its own records and sets aside an unreadable mail", arguments: TestDatabase.all)
    func testDEC8_batchSeesItsOwnRecordsAndSetsAsideAnUnreadableMail(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            let app = world.app
            for (subject, at) in [("ばそな建設/専門家次郎/8月21日 10:30", "10:31"), ("ばそな建設/専門家次郎/8月21日 15:00", "15:02"),
                                  ("ばそな建設/専門家次郎/8月21日 15:00", "15:05")] {
                app.hakenClock = .fixed(Self.on21(at))
                let response = try await app.call(.POST, "api/v1/inbound-mail", token: adminToken,
                                                  rawBody: Self.mail(from: "info@basona.example.jp", subject: subject),
                                                  headers: ["X-Envelope-From": "info@basona.example.jp"])
                #expect(response.status == .accepted)
            }
            // The third mail's stored bytes are gone (a disk fault): it cannot be read.
            let third = try #require(try await InboundMailModel.query(on: app.db).sort(\.$receivedAt, .descending).first())
            #expect(third.rawPath.isEmpty && third.raw != nil)   // a small message lives in its row
            third.raw = nil
            third.rawPath = "mail/00/00/missing.eml"
            try await third.save(on: app.db)

            let processor = MailProcessor(services: app.haken, clock: app.hakenClock)
            #expect(try await processor.processQueued(on: app.db, logger: app.logger) == 3)
            #expect(try await world.evidence("startReport")["status"] as? String == "accepted")
            #expect(try await world.evidence("endReport")["status"] as? String == "accepted")
            let statuses = try await InboundMailModel.query(on: app.db).sort(\.$receivedAt).all().map(\.status)
            #expect(statuses == ["matched", "matched", "unmatched"])
            let unreadable = try #require(try await InboundMailModel.find(third.id, on: app.db))
            #expect(unreadable.reason == "処理中にエラーが発生しました。事務局で確認します。")   // the error itself is only logged
            #expect(try await world.receipts().count == 2)
            #expect(try await AuditLog.verify(on: app.db, key: app.haken.auditKey) == .intact(entries: try await AuditEntryModel.query(on: app.db).count()))
        }
    }

    /// A mail whose recording fails breaks its batch's transaction; the batch is then done
    /// mail by mail, so the others are recorded and only that one waits for a person.
    @Test("DEC-8: a mail that breaks its batch waits alone for a person", arguments: TestDatabase.all)
    func testDEC8_aMailThatBreaksItsBatchWaitsAloneForAPerson(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            let app = world.app
            let mails = [(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), "10:31"),
                         (Self.mail(from: "info@basona.example.jp", subject: "写真提出の同意書", pdfName: "同意書.pdf"), "12:00"),
                         (Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), "15:02")]
            for (raw, at) in mails {
                app.hakenClock = .fixed(Self.on21(at))
                #expect(try await app.call(.POST, "api/v1/inbound-mail", token: adminToken, rawBody: raw,
                                           headers: ["X-Envelope-From": "info@basona.example.jp"]).status == .accepted)
            }
            // Recording a photo consent now fails (a table gone: not a database outage).
            try await app.db.sql().raw("DROP TABLE photo_consents").run()

            let processor = MailProcessor(services: app.haken, clock: app.hakenClock)
            #expect(try await processor.processQueued(on: app.db, logger: app.logger) == 3)
            // (The dispatch view reads consents too, so the rows are read directly here.)
            let evidence = try await EvidenceModel.query(on: app.db).all()
            #expect(Dictionary(uniqueKeysWithValues: evidence.map { ($0.kind, $0.status) }) == ["startReport": "accepted", "endReport": "accepted"])
            let rows = try await InboundMailModel.query(on: app.db).sort(\.$receivedAt).all()
            #expect(rows.map(\.status) == ["matched", "unmatched", "matched"])
            #expect(rows[1].reason?.hasPrefix("処理中にエラーが発生しました") == true)
            #expect(try await world.receipts().count == 2)
        }
    }

    @Test("DAY-2: end report outside the window is late and needs a declaration", arguments: TestDatabase.all)
    func testDAY2_endReportOutsideTheWindowIsLateAndNeedsADeclaration(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:31"))
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Self.on21("15:21"))
            #expect(try await world.evidence("endReport")["status"] as? String == "late")
            let shown = try await world.app.call(.GET, "api/v1/dispatches/\(world.dispatch)")
            #expect(shown["declarationRequiredFor"] as? [String] == ["endReport"])
            #expect(try await world.receipts().last?.subject.contains("【期限外】") == true)
        }
    }

    @Test("DAY-6: photo rides on the end report and a period mail carries one", arguments: TestDatabase.all)
    func testDAY6_photoRidesOnTheEndReportAndAPeriodMailCarriesOne(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:30"))
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00", jpeg: true), at: Self.on21("15:05"))
            #expect(try await world.evidence("endReport")["status"] as? String == "accepted")
            #expect(try await world.evidence("photo")["status"] as? String == "accepted")
            let row = try #require(try await EvidenceModel.query(on: world.app.db).filter(\.$kind == "photo").first())
            let path = try #require(row.filePath)
            #expect(FileManager.default.fileExists(atPath: world.app.haken.intake.blobs.url(path).path))
        }
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:00", jpeg: true),
                                     at: Self.on21("16:00"))
            #expect(try await world.evidence("photo")["status"] as? String == "accepted")
            // A period subject without a picture is not a photo.
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:30"), at: Self.on21("16:01"))
            #expect(try await world.lastMail().status == "unmatched")
        }
    }

    @Test("DEC-6: expert and institution addresses are refused", arguments: TestDatabase.all)
    func testDEC6_expertAndInstitutionAddressesAreRefused(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "jiro@example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:30"))
            let mail = try await world.lastMail()
            #expect(mail.status == "refused")
            #expect(try await world.evidence("startReport")["status"] as? String == "missing")
            #expect(try await world.receipts().first?.body.contains("専門家として登録されています") == true)
            _ = try await world.send(Self.mail(from: "yorozu@example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:31"), at: Self.on21("10:31"))
            #expect(try await world.lastMail().status == "refused")
        }
    }

    @Test("DEC-7: unknown mobile address is accepted pending review", arguments: TestDatabase.all)
    func testDEC7_unknownMobileAddressIsAcceptedPendingReview(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "someone.genba@ezweb.ne.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:35"))
            #expect(try await world.evidence("startReport")["status"] as? String == "review")
            #expect(try await world.lastMail().status == "review")
            // An unknown address that is not a mobile carrier's waits in the queue.
            _ = try await world.send(Self.mail(from: "stranger@example.com", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Self.on21("15:03"))
            let items = try await world.app.testing().sendRequest(.GET, "api/v1/mail?status=unmatched") {
                $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
            }
            let list = try JSONSerialization.jsonObject(with: Data(buffer: items.body)) as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["from"] as? String == "stranger@example.com")
            #expect((list.first?["reason"] as? String)?.contains("登録されていないアドレス") == true)
        }
    }

    /// DEC-10: the registered mobile address counts only after the link mailed to it was
    /// opened and confirmed; the link works once, and a GET changes nothing.
    @Test("DEC-10: mobile address counts once verified by its link", arguments: TestDatabase.all)
    func testDEC10_mobileAddressCountsOnceVerifiedByItsLink(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Self.mail(from: "basona@docomo.ne.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:31"))
            #expect(try await world.evidence("startReport")["status"] as? String == "review")   // unverified: as unknown (DEC-7)

            let mail = try #require(try await OutboxModel.query(on: app.db).filter(\.$kind == "address-verification").first())
            #expect(mail.recipient == "basona@docomo.ne.jp")
            #expect(mail.subject == "【確認】携帯メールアドレスの登録（ばそな建設）")
            let link = try #require(mail.body.split(separator: "\n").first { $0.contains("/mobile/verify/") })
            let path = String(link[link.range(of: "/mobile/verify/")!.lowerBound...])
            let phone = Browser(app)
            let page = try await phone.get(path)
            #expect(page.status == .ok)
            #expect(page.html.contains("このアドレスを確認する"))
            #expect(try await BusinessModel.query(on: app.db).first()?.mobileVerifiedAt == nil)   // a GET verifies nothing
            #expect(try await phone.post(path, [:], withCSRF: false).status == .forbidden)       // the form's CSRF token is required
            let confirmed = try await phone.post(path, [:])
            #expect(confirmed.status == .ok)
            #expect(confirmed.html.contains("確認しました"))
            #expect(try await phone.post(path, [:]).status == .gone)                             // single use
            #expect(try await app.testing().sendRequest(.GET, "/mobile/verify/not-a-token").status == .notFound)

            _ = try await world.send(Self.mail(from: "basona@docomo.ne.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Self.on21("15:02"))
            #expect(try await world.evidence("endReport")["status"] as? String == "accepted")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "business.mobile.verify").count() == 1)
        }
    }

    /// DEC-11 with the issue's case: the registered address's late start report stands when a
    /// stranger's mobile reports the same start with the expert's name one character off.
    @Test("DEC-11: a strangers mobile never replaces the registered report", arguments: TestDatabase.all)
    func testDEC11_aStrangersMobileNeverReplacesTheRegisteredReport(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:55"))
            _ = try await world.send(Self.mail(from: "x.genba@ezweb.ne.jp", subject: "ばそな建設/専門家太郎/8月21日 10:30"), at: Self.on21("10:56"))
            let stranger = try await world.lastMail()
            #expect(stranger.status == "review")   // kept and visible to a person
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Self.on21("15:00"))
            #expect(try await world.evidence("startReport")["status"] as? String == "late")
            let shown = try await world.app.call(.GET, "api/v1/dispatches/\(world.dispatch)")
            #expect(shown["state"] as? String == "declarationRequired")
            // DEC-12: the stranger's receipt names nobody.
            let receipt = try #require(try await world.receipts().first { $0.recipient == "x.genba@ezweb.ne.jp" })
            #expect(receipt.recipient == "x.genba@ezweb.ne.jp")
            #expect(receipt.subject == "【受信】専門家派遣事業 事務局")
            #expect(!receipt.body.contains("専門家次郎") && !receipt.body.contains("ばそな建設"))
        }
    }

    /// DEC-12: receipts go to the envelope sender; never to the null sender (SMTP `<>` or the
    /// pipe's `X-Envelope-From: <>`); unregistered senders' receipts are bounded overall.
    @Test("DEC-12: receipts go to the envelope sender and are bounded for strangers", arguments: TestDatabase.all)
    func testDEC12_receiptsGoToTheEnvelopeSenderAndAreBoundedForStrangers(database: TestDatabase) async throws {
        var settings = MailSettings()
        settings.unregisteredReceiptsPerHour = 3
        try await withWorld(database, mail: settings) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:30"),
                                     envelope: "<>")
            #expect(try await world.evidence("startReport")["status"] as? String == "accepted")
            #expect(try await world.receipts().isEmpty)
            for index in 0..<6 {
                _ = try await world.send(Self.mail(from: "forged\(index)@example.com", subject: "ばそな建設/専門家次郎/8月21日 15:00"),
                                         at: Self.on21("15:0\(index)"))
            }
            #expect(try await world.receipts().count == 3)
            #expect(try await InboundMailModel.query(on: world.app.db).count() == 7)   // every mail kept (DEC-8)
        }
    }

    /// DEC-2: a written time that differs from the schedule is recorded and the mail is on the review list.
    @Test("DEC-2: schedule discrepancy is on the review list", arguments: TestDatabase.all)
    func testDEC2_scheduleDiscrepancyIsOnTheReviewList(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 11:00"), at: Self.on21("11:01"))
            #expect(try await world.evidence("startReport")["status"] as? String == "accepted")
            let review = try await world.app.testing().sendRequest(.GET, "api/v1/mail?status=review") {
                $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken)
            }
            let list = try JSONSerialization.jsonObject(with: Data(buffer: review.body)) as? [[String: Any]] ?? []
            #expect(list.count == 1)
            #expect(list.first?["flags"] as? [String] == ["scheduleDiscrepancy"])
        }
    }

    /// DEC-1: with HAKEN_TRUSTED_MTA set, the time our MTA wrote in its Received field counts
    /// (a mail ingested late is judged by when it reached us); a forged Received below it does not.
    @Test("DEC-1: the trusted MT as received time counts", arguments: TestDatabase.all)
    func testDEC1_theTrustedMTAsReceivedTimeCounts(database: TestDatabase) async throws {
        var settings = MailSettings()
        settings.trustedMTA = "mx.haken.example"
        try await withWorld(database, mail: settings) { world in
            let raw = Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30", extraHeaders: [
                "Received: from phone.example by mx.haken.example (Postfix) with ESMTPS id ABC; Wed, 21 Aug 2019 10:33:00 +0900",
                "Received: from evil by mx.haken.example; Wed, 21 Aug 2019 16:00:00 +0900"])
            _ = try await world.send(raw, at: Self.on21("14:00"))   // processed hours later
            #expect(try await world.evidence("startReport")["status"] as? String == "accepted")
            let row = try await world.lastMail()
            #expect(row.mtaReceivedAt == Self.on21("10:33"))
            // Without our MTA's field, our own receipt time counts: late.
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Self.on21("16:00"))
            #expect(try await world.evidence("endReport")["status"] as? String == "late")
        }
    }

    /// One bad part (a declared type of 300 characters that is no picture) is set aside with a
    /// reason; the JPEG beside it counts, and no internal error text reaches anyone.
    @Test("DAY-6: a bad attachment is set aside and the good photo counts", arguments: TestDatabase.all)
    func testDAY6_aBadAttachmentIsSetAsideAndTheGoodPhotoCounts(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            let subject = "=?UTF-8?B?\(Data("ばそな建設/専門家次郎/8月21日(水)10:30~15:00".utf8).base64EncodedString())?="
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0, 1, 2, 3, 0xFF, 0xD9]).base64EncodedString()
            let raw = ["From: info@basona.example.jp", "To: senmonka-haken@localhost", "Subject: \(subject)", "Message-ID: <bad@test>",
                       "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"b\"", "", "--b",
                       "Content-Type: image/" + String(repeating: "x", count: 300), "Content-Transfer-Encoding: base64", "",
                       Data("not a picture at all".utf8).base64EncodedString(), "--b",
                       "Content-Type: image/jpeg", "Content-Disposition: attachment; filename=\"photo.jpg\"", "Content-Transfer-Encoding: base64", "",
                       jpeg, "--b--", ""].joined(separator: "\r\n")
            _ = try await world.send(raw, at: Self.on21("15:10"))
            let mail = try await world.lastMail()
            #expect(mail.status == "matched")
            #expect(mail.reason?.contains("画像として読み取れないため使用しません") == true)
            #expect(mail.reason?.contains("rename") == false)
            #expect(try await world.evidence("photo")["status"] as? String == "accepted")
            let photo = try #require(try await EvidenceModel.query(on: world.app.db).filter(\.$kind == "photo").first())
            #expect(photo.filePath?.hasSuffix(".jpg") == true)
            let receipt = try #require(try await world.receipts().last)
            #expect(receipt.subject == "【受付】支援状況写真 ばそな建設 8月21日(水)")
        }
    }

    /// NOTE-3: the audit entry for a mail holds its received and stored times, the raw
    /// message's SHA-256 and every evidence change it made, in the keyed chain.
    @Test("NOTE-3: audit entries hold the times and the digest", arguments: TestDatabase.all)
    func testNOTE3_auditEntriesHoldTheTimesAndTheDigest(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Self.on21("10:31"))
            let mail = try await world.lastMail()
            let entries = try await AuditEntryModel.query(on: world.app.db).sort(\.$seq).all()
            let processed = try #require(entries.first { $0.action == "mail.process" })
            let details = try JSONSerialization.jsonObject(with: Data(processed.details.utf8)) as? [String: String] ?? [:]
            #expect(details["sha256"] == mail.contentHash)
            #expect(details["receivedAt"] == "2019-08-21T10:31:00.000+09:00")
            #expect(details["storedAt"] == nil)   // only written when our MTA's time counts instead (DEC-1)
            #expect(processed.subject == "mail/\(try mail.requireID().uuidString.lowercased())")
            #expect(details["evidence.startReport"] == "accepted" && details["trust"] == "registered")
            #expect(details["dispatch"] == world.dispatch.lowercased())
            #expect(processed.mac != nil)
            #expect(try await AuditLog.verify(on: world.app.db, key: world.app.haken.auditKey) == .intact(entries: entries.count))
        }
    }

    @Test("DEC-9: machine mail is kept but never answered", arguments: TestDatabase.all)
    func testDEC9_machineMailIsKeptButNeverAnswered(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30",
                                               extraHeaders: ["Auto-Submitted: auto-replied"]), at: Self.on21("10:30"))
            #expect(try await world.lastMail().status == "machine")
            #expect(try await world.receipts().isEmpty)
            #expect(try await world.evidence("startReport")["status"] as? String == "missing")
        }
    }

    @Test("DEC-9: unreadable subject gets the format back", arguments: TestDatabase.all)
    func testDEC9_unreadableSubjectGetsTheFormatBack(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "開始します"), at: Self.on21("10:30"))
            #expect(try await world.lastMail().status == "unmatched")
            let receipt = try #require(try await world.receipts().first)
            #expect(receipt.body.contains("事業者名/専門家名/8月21日 10:30"))
            #expect(receipt.subject.contains("要再送"))
        }
    }

    @Test("DEC-8: the same message twice is stored once", arguments: TestDatabase.all)
    func testDEC8_theSameMessageTwiceIsStoredOnce(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            let raw = Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30", id: "same")
            let first = try await world.send(raw, at: Self.on21("10:30"))
            let second = try await world.send(raw, at: Self.on21("10:31"))
            #expect(first.status == .accepted)
            #expect(second.status == .ok)
            #expect(second["duplicate"] as? Bool == true)
            #expect(try await InboundMailModel.query(on: world.app.db).count() == 1)
            #expect(try await world.receipts().count == 1)
        }
    }

    @Test("AFT-1: consent PDF becomes a candidate for the fiscal year", arguments: TestDatabase.all)
    func testAFT1_consentPDFBecomesACandidateForTheFiscalYear(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "写真提出の同意書", pdfName: "同意書.pdf"), at: Self.on21("16:00"))
            #expect(try await world.lastMail().status == "review")
            let consent = try #require(try await PhotoConsentModel.query(on: world.app.db).first())
            #expect(consent.fiscalYear == 2019)
            #expect(consent.status == "review")
            #expect(try await world.evidence("photoConsent")["status"] as? String == "review")
        }
    }

    @Test(arguments: TestDatabase.all)
    func inboundMailNeedsItsTokenAndABody(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            #expect(try await world.app.call(.POST, "api/v1/inbound-mail", token: nil, rawBody: "x").status == .unauthorized)
            let institutionToken = try await APITokens.issue(role: .institution, partyID: UUID(uuidString: world.parties.institution),
                                                             label: "t", on: world.app.db, key: world.app.haken.auditKey)
            #expect(try await world.app.call(.POST, "api/v1/inbound-mail", token: institutionToken, rawBody: "x").status == .forbidden)
            #expect(try await world.app.call(.POST, "api/v1/inbound-mail", rawBody: "").status == .badRequest)
            #expect(try await world.app.call(.GET, "api/v1/mail", token: institutionToken).status == .forbidden)
        }
    }

    @Test("#12: behind our own MTA its results decide; a fail or no result goes to review, a pass is stored with the mail",
          arguments: TestDatabase.all)
    func failedAuthenticationAtOurOwnMTASendsTheReportToReview(database: TestDatabase) async throws {
        var settings = MailSettings()
        settings.trustedAuthservID = "mx.haken.example"
        try await withWorld(database, mail: settings) { world in
            let forged = Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30",
                                   extraHeaders: ["Authentication-Results: mx.haken.example; spf=fail smtp.mailfrom=basona.example.jp; dmarc=fail"])
            _ = try await world.send(forged, at: Self.on21("10:30"))
            #expect(try await world.evidence("startReport")["status"] as? String == "review")
            let failed = try await world.lastMail()
            #expect(failed.status == "review")
            #expect(failed.senderAuthVerdict == "fail")
            #expect(failed.flags == "authenticationFailed")
            // Results from a host we do not trust are ignored: its fail costs nothing, its pass counts for nothing.
            let other = Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00",
                                  extraHeaders: ["Authentication-Results: mx.elsewhere.example; dmarc=fail",
                                                 "Authentication-Results: mx.haken.example; dkim=pass header.d=basona.example.jp; dmarc=pass"])
            _ = try await world.send(other, at: Self.on21("15:00"))
            #expect(try await world.evidence("endReport")["status"] as? String == "accepted")
            let passed = try await world.lastMail()
            #expect(passed.senderAuthVerdict == "pass")
            #expect(passed.senderAuth?.contains("DMARC pass") == true)
            let unchecked = Self.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:05",
                                      extraHeaders: ["Authentication-Results: mx.elsewhere.example; dmarc=pass"])
            _ = try await world.send(unchecked, at: Self.on21("15:05"))
            #expect(try await world.lastMail().senderAuthVerdict == "unverified")
            #expect(try await world.lastMail().status == "review")
        }
    }

    @Test("DEC-9: receipts to one sender are limited per hour", arguments: TestDatabase.all)
    func testDEC9_receiptsToOneSenderAreLimitedPerHour(database: TestDatabase) async throws {
        var settings = MailSettings()
        settings.receiptsPerHour = 2
        try await withWorld(database, mail: settings) { world in
            for minute in 0..<4 {
                _ = try await world.send(Self.mail(from: "info@basona.example.jp", subject: "よろしくお願いします \(minute)"), at: Self.on21("10:3\(minute)"))
            }
            #expect(try await InboundMailModel.query(on: world.app.db).count() == 4)
            #expect(try await world.receipts().count == 2)
        }
    }

    @Test("AFT-1: institution may send the consent for its business", arguments: TestDatabase.all)
    func testAFT1_institutionMaySendTheConsentForItsBusiness(database: TestDatabase) async throws {
        try await withWorld(database) { world in
            _ = try await world.send(Self.mail(from: "yorozu@example.jp", subject: "ばそな建設様 写真提出の同意書", pdfName: "doui.pdf"), at: Self.on21("17:00"))
            #expect(try await world.lastMail().status == "review")
            #expect(try await world.evidence("photoConsent")["status"] as? String == "review")
        }
    }
}
