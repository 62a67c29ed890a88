import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The secretariat's desk (#11) through its JSON API, with the real database and the real mail
/// path: a mail arrives, waits in its queue, and a person decides it.
@Suite struct DeskTests {
    typealias Mail = MailIntakeTests

    func array(_ app: Application, _ path: String) async throws -> (items: [[String: Any]], total: Int?) {
        let response = try await app.testing().sendRequest(.GET, path) { $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken) }
        #expect(response.status == .ok, "\(path): \(response.body.string)")
        let items = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]] ?? []
        return (items, response.headers.first(name: "X-Total-Count").flatMap(Int.init))
    }

    func queueCount(_ app: Application, _ queue: DeskQueue) async throws -> Int {
        try await array(app, "api/v1/desk/queues").items.first { $0["queue"] as? String == queue.rawValue }?["count"] as? Int ?? -1
    }

    func notices(_ app: Application) async throws -> [OutboxModel] {
        try await OutboxModel.query(on: app.db).filter(\.$kind == Outbox.Kind.deskNotice.rawValue).sort(\.$createdAt).all()
    }

    @Test("DEC-8: an unmatched mail is assigned by hand to the best-ranked dispatch, once, audited", arguments: TestDatabase.all)
    func testDEC8_unmatchedMailIsAssignedByHand(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            // The expert's name is not the dispatch's: the mail matches nothing and waits (DEC-8).
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/山田花子/8月21日 10:30"), at: Mail.on21("10:33"))
            let mail = try await world.lastMail()
            #expect(mail.status == "unmatched")
            #expect(try await queueCount(app, .unmatched) == 1)

            let id = try mail.requireID().uuidString.lowercased()
            let detail = try await app.call(.GET, "api/v1/mail/\(id)")
            let candidates = detail["candidates"] as? [[String: Any]] ?? []
            #expect(candidates.first?["dispatchId"] as? String == world.dispatch)
            let reasons = candidates.first?["reasons"] as? [String] ?? []
            #expect(reasons.contains("差出人はこの事業者の登録アドレス") && reasons.contains("件名の日付が支援日"))
            #expect((detail["headers"] as? [[String: Any]])?.contains { $0["name"] as? String == "Subject" && ($0["value"] as? String)?.contains("山田花子") == true } == true)

            // A kind that is not a report, and a photo from a mail without one, are refused.
            #expect(try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "assign", "dispatchId": world.dispatch, "kind": "certification"]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "assign", "dispatchId": world.dispatch, "kind": "photo"]).code == "validation_failed")

            let assigned = try await app.call(.POST, "api/v1/mail/\(id)/decision",
                                              json: ["decision": "assign", "dispatchId": world.dispatch, "kind": "startReport", "reason": "専門家名の誤記"])
            #expect(assigned.status == .ok)
            #expect(assigned["status"] as? String == "matched")
            let start = try await world.evidence("startReport")
            #expect(start["status"] as? String == "accepted")   // 3 minutes after the written 10:30: on time (DAY-1)
            #expect((start["note"] as? String)?.contains("事務局が割り当て") == true)
            #expect(try await queueCount(app, .unmatched) == 0)

            let again = try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "dismiss", "reason": "重複"])
            #expect(again.status == .conflict)
            let audit = try await AuditEntryModel.query(on: app.db).filter(\.$action == "desk.mail.assign").all()
            #expect(audit.count == 1)
            #expect(audit.first?.actor == "secretariat:admin-token")
        }
    }

    @Test("DEC-7: a report from an unknown mobile address is accepted by a person, and the business told", arguments: TestDatabase.all)
    func testDEC7_unknownMobileReportAcceptedByAPerson(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "someone.genba@ezweb.ne.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Mail.on21("15:40"))
            #expect(try await world.evidence("endReport")["status"] as? String == "review")
            #expect(try await queueCount(app, .unknownSender) == 1)
            let id = try await world.lastMail().requireID().uuidString.lowercased()
            let decided = try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "accept"])
            #expect(decided.status == .ok)
            // Accepted for its sender, it earns what its timing earns: 40 minutes after 15:00 is late (DAY-2).
            #expect(try await world.evidence("endReport")["status"] as? String == "late")
            #expect(try await queueCount(app, .unknownSender) == 0)
            let notice = try #require(try await notices(app).first)
            #expect(notice.recipient == "info@basona.example.jp")
            #expect(notice.subject.contains("報告を受理しました"))
        }
    }

    @Test("DAY-4: rejecting a report needs a reason and asks the business for the declaration", arguments: TestDatabase.all)
    func testDAY4_rejectingAReportAsksForTheDeclaration(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            // DEC-2: written 11:30 against a 10:30 start: recorded, and on the review list.
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 11:30"), at: Mail.on21("11:31"))
            #expect(try await queueCount(app, .scheduleDiscrepancy) == 1)
            let id = try await world.lastMail().requireID().uuidString.lowercased()
            let withoutReason = try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "reject"])
            #expect(withoutReason.status == .unprocessableEntity && withoutReason.field == "reason")
            let rejected = try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "reject", "reason": "支援開始は10:30（専門家の報告）"])
            #expect(rejected["status"] as? String == "rejected")
            #expect(try await world.evidence("startReport")["status"] as? String == "rejected")
            let standing = try await app.call(.GET, "api/v1/dispatches/\(world.dispatch)/declarations")
            let required = standing["required"] as? [[String: Any]] ?? []
            #expect(required.contains { $0["variant"] as? String == "timeCorrected" && ($0["covers"] as? [String]) == ["startReport"] })
            let notice = try #require(try await notices(app).first)
            #expect(notice.body.contains("報告時刻訂正") && notice.body.contains("支援開始は10:30"))
        }
    }

    @Test("DAY-5: a photo counts once checked; accepting needs all four points, rejecting asks for DAY-7's declaration", arguments: TestDatabase.all)
    func testDAY5_photoCheck(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:00", jpeg: true),
                                     at: Mail.on21("15:10"))
            #expect(try await world.evidence("photo")["status"] as? String == "accepted")
            let queue = try await array(app, "api/v1/desk/photos")
            #expect(queue.total == 1 && queue.items.first?["dispatchId"] as? String == world.dispatch)

            let partial = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/photo-check",
                                             json: ["decision": "accept", "confirmed": ["expertPresent", "facesRecognisable"]])
            #expect(partial.status == .unprocessableEntity && partial.field == "confirmed")
            let rejected = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/photo-check",
                                              json: ["decision": "reject", "confirmed": ["expertPresent"], "reason": "相談者が写っていません"])
            #expect(rejected["status"] as? String == "rejected")
            #expect(try await array(app, "api/v1/desk/photos").total == 0)
            let again = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/photo-check", json: ["decision": "accept"])
            #expect(again.status == .conflict)
            let standing = try await app.call(.GET, "api/v1/dispatches/\(world.dispatch)/declarations")
            #expect((standing["required"] as? [[String: Any]])?.contains { $0["variant"] as? String == "photoDeficient" } == true)
            #expect(try await notices(app).first?.body.contains("写真不備") == true)
            // A new photo is checked anew (DAY-5).
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:00", jpeg: true),
                                     at: Mail.on21("16:00"))
            #expect(try await array(app, "api/v1/desk/photos").total == 1)
        }
    }

    @Test("DAY-4/DAY-7: a declaration counts only with all three seals and settles the items it covers", arguments: TestDatabase.all)
    func testDAY4_DAY7_declarationSettlesTheItemsItCovers(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            // No report on the day: the next day the dispatch needs the forgotten-report declaration
            // (a missing photo can still come until the certification: AFT-3).
            app.hakenClock = .fixed(dayAfterExample)
            var standing = try await app.call(.GET, "api/v1/dispatches/\(world.dispatch)/declarations")
            #expect(standing["state"] as? String == "declarationRequired")
            let variants = (standing["required"] as? [[String: Any]] ?? []).compactMap { $0["variant"] as? String }
            #expect(variants == ["reportForgotten"])

            let body: [String: Any?] = ["variant": "reportForgotten", "covers": ["startReport"], "receipt": "paper",
                                        "receivedOn": "2019-08-22", "sealedByBusiness": true, "sealedByExpert": true,
                                        "sealedByInstitution": false, "decision": "accept"]
            let unsealed = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/declarations", json: body)
            #expect(unsealed.status == .unprocessableEntity && unsealed.field == "seals")
            var sealed = body
            sealed["sealedByInstitution"] = true
            let future = sealed.merging(["receivedOn": "2030-01-01"]) { $1 }
            #expect(try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/declarations", json: future).field == "receivedOn")
            let notNeeded = sealed.merging(["variant": "photoDeficient", "covers": ["photo"]]) { $1 }
            #expect(try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/declarations", json: notNeeded).field == "covers")
            let rejected = sealed.merging(["decision": "reject", "note": "押印が不鮮明"]) { $1 }
            #expect(try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/declarations", json: rejected).status == .created)

            let recorded = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/declarations", json: sealed)
            #expect(recorded.status == .created)
            #expect(recorded["declarationStatus"] as? String == "missing")   // the end report is not covered yet
            let end = sealed.merging(["covers": ["endReport"]]) { $1 }
            standing = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/declarations", json: end)
            #expect(standing["declarationStatus"] as? String == "accepted")
            #expect((standing["recorded"] as? [[String: Any]])?.map { $0["accepted"] as? Bool } == [false, true, true])
            let shown = try await app.call(.GET, "api/v1/dispatches/\(world.dispatch)")
            #expect(shown["state"] as? String == "collecting")   // the photo and consent are still to come
            let sent = try await notices(app)
            #expect(sent.count == 3)
            #expect(sent.first?.body.contains("押印が不鮮明") == true)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "desk.declaration.record").count() == 3)
        }
    }

    @Test("DEC-8: the inbox finds Japanese substrings (FTS5 trigram, pg_trgm) and filters by queue, status and day", arguments: TestDatabase.all)
    func testDEC8_inboxSearch(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:31"))
            _ = try await world.send(Mail.mail(from: "stranger@example.com", subject: "ｻｸﾗ製菓のお問い合わせ"), at: Mail.on21("12:00"))
            func count(_ query: String) async throws -> Int? { try await array(app, "api/v1/mail?\(query)").total }
            #expect(try await count("q=" + "そな建設".urlQuery) == 1)      // the business's name (FTS5 trigram on SQLite)
            #expect(try await count("q=" + "次郎".urlQuery) == 1)          // two characters: below the trigram's reach, still found
            #expect(try await count("q=" + "サクラ製菓".urlQuery) == 1)    // half-width kana found by its NFKC form
            #expect(try await count("q=STRANGER") == 1)
            #expect(try await count("q=" + "存在しない語".urlQuery) == 0)
            #expect(try await count("queue=unmatched") == 1)
            #expect(try await count("status=matched") == 1)
            #expect(try await count("from=2019-08-22") == 0)
            #expect(try await count("from=2019-08-21&to=2019-08-21") == 2)
            let bad = try await app.testing().sendRequest(.GET, "api/v1/mail?queue=photos") { $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken) }
            #expect(bad.status == .badRequest)
            let id = try await world.lastMail().requireID().uuidString.lowercased()
            // DEC-8: dismissed with a reason, kept and still found.
            #expect(try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "dismiss"]).field == "reason")
            #expect(try await app.call(.POST, "api/v1/mail/\(id)/decision", json: ["decision": "dismiss", "reason": "問い合わせ（電話で回答）"]).status == .ok)
            #expect(try await count("status=dismissed") == 1)
            #expect(try await count("queue=unmatched") == 0)
            let raw = try await app.testing().sendRequest(.GET, "api/v1/mail/\(id)/raw") { $0.headers.bearerAuthorization = BearerAuthorization(token: adminToken) }
            #expect(raw.headers.contentType?.description.hasPrefix("message/rfc822") == true)
            #expect(raw.body.string.contains("From: stranger@example.com"))
        }
    }

    @Test("AFT-2/DEC-2: a disputed certification is settled with a reason", arguments: TestDatabase.all)
    func testAFT2_disputeIsSettledWithAReason(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            let dispatchID = try #require(UUID(uuidString: world.dispatch))
            let at = Mail.on21("18:00")
            try await EvidenceWriter.record([EvidenceChange(dispatchID: dispatchID, kind: .certification, status: .review, trust: .registered,
                                                            note: "事業者が専門家の報告と異なると申出: 終了は14:00")],
                                            source: .init(actor: "test", receivedAt: at), on: app.db, key: app.haken.auditKey, now: at)
            #expect(try await queueCount(app, .disputes) == 1)
            #expect(try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/dispute", json: ["decision": "accept"]).field == "reason")
            let settled = try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/dispute",
                                             json: ["decision": "accept", "reason": "双方に確認し終了14:00で合意"])
            #expect(settled["status"] as? String == "accepted")
            #expect(try await queueCount(app, .disputes) == 0)
            #expect(try await app.call(.POST, "api/v1/dispatches/\(world.dispatch)/dispute", json: ["decision": "reject", "reason": "x"]).status == .conflict)
        }
    }

    @Test("#12/DEC-2: reports that disagree are found once, listed with the dispatch, and resolved with a note", arguments: TestDatabase.all)
    func testDEC2_discrepanciesAreFoundOnceAndResolved(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            let dispatchID = try #require(UUID(uuidString: world.dispatch))
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:31"))
            #expect(try await queueCount(app, .discrepancies) == 0)
            // A second start report from a phone nobody registered (DEC-7): two addresses reported the start.
            _ = try await world.send(Mail.mail(from: "genba@docomo.ne.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:36"))
            #expect(try await queueCount(app, .discrepancies) == 1)
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 15:00"), at: Mail.on21("15:02"))
            #expect(try await queueCount(app, .discrepancies) == 1, "seen again, recorded once")

            // The expert says the support ended at 16:00; the end report came at 15:02 (DEC-2).
            let dispatch = try #require(try await DispatchModel.find(dispatchID, on: app.db))
            let report = ExpertReport(actualStart: TimeOfDay(hhmm: "10:30")!, actualEnd: TimeOfDay(hhmm: "16:00")!, work: "資金繰りの助言",
                                      nextSteps: nil, travelExpensesYen: 0)
            try await AfterTheDay.fileReport(report, dispatch: dispatch, by: "expert:test", mail: { _ in nil }, on: app.db,
                                             key: app.haken.auditKey, now: Mail.on21("18:00"))
            let (items, total) = try await array(app, "api/v1/desk/discrepancies")
            #expect(total == 2)
            #expect(items.map { $0["kind"] as? String } == ["severalReporters", "expertTimes"])
            #expect((items.last?["reason"] as? String)?.contains("専門家の報告は 16:00、終了報告メールは 15:02（差 58分") == true)

            let id = try #require(items.first?["id"] as? String)
            #expect(try await app.call(.POST, "api/v1/desk/discrepancies/\(id)/resolve", json: ["note": " "]).field == "note")
            let resolved = try await app.call(.POST, "api/v1/desk/discrepancies/\(id)/resolve", json: ["note": "携帯は現場担当者のもの。電話で確認"])
            #expect(resolved.status == .ok)
            #expect(resolved["resolvedBy"] as? String != nil)
            #expect(try await app.call(.POST, "api/v1/desk/discrepancies/\(id)/resolve", json: ["note": "again"]).status == .conflict)
            #expect(try await queueCount(app, .discrepancies) == 1)
            let audit = try await AuditEntryModel.query(on: app.db).all().map(\.action)
            #expect(audit.filter { $0 == "discrepancy.find" }.count == 2)
            #expect(audit.contains("desk.discrepancy.resolve"))
        }
    }

    @Test("#12: a report for a cancelled dispatch is kept on it, counts for nothing, and waits for a person", arguments: TestDatabase.all)
    func reportForACancelledDispatchIsFlagged(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            let dispatch = try #require(try await DispatchModel.find(UUID(uuidString: world.dispatch), on: app.db))
            dispatch.cancelled = true
            try await dispatch.save(on: app.db)
            _ = try await world.send(Mail.mail(from: "info@basona.example.jp", subject: "ばそな建設/専門家次郎/8月21日 10:30"), at: Mail.on21("10:31"))
            let mail = try await world.lastMail()
            #expect(mail.status == "review")
            #expect(mail.dispatchID?.uuidString.lowercased() == world.dispatch)
            #expect(try await world.evidence("startReport")["status"] as? String == "missing")
            let (items, _) = try await array(app, "api/v1/desk/discrepancies")
            #expect(items.map { $0["kind"] as? String } == ["afterCancellation"])
            #expect(items.first?["mailId"] as? String == (try mail.requireID().uuidString.lowercased()))
            #expect(try await world.receipts().last?.body.contains("取り消されています") == true)
        }
    }
}

extension String {
    var urlQuery: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}
