import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The deadline scheduler with a controlled clock (#11, NOTE-1, NOTE-2, NOTE-4): reminders in
/// office hours only, once however often or on however many nodes it runs, escalation after
/// the deadline, the outside-programme proposal and its confirmation.
@Suite struct DeadlineJobTests {
    static func tokyo(_ iso: String, _ hhmm: String) -> Date {
        Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: CivilDate(iso: iso)!, time: TimeOfDay(hhmm: hhmm)!)))
    }

    func reminders(_ app: Application) async throws -> [OutboxModel] {
        try await OutboxModel.query(on: app.db).filter(\.$kind == Outbox.Kind.reminder.rawValue).sort(\.$recipient).all()
    }

    @Test("NOTE-4: across the year-end the photo reminder goes out once, in office hours, to the business and its institution", arguments: TestDatabase.all)
    func testNOTE4_reminderAcrossTheYearEnd(database: TestDatabase) async throws {
        try await database.withHakenApp(now: Self.tokyo("2019-12-20", "10:00")) { app in
            let parties = try await app.seedParties()
            let id = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties, date: "2019-12-26")).id
            let dispatchID = try #require(UUID(uuidString: id))
            let day = Self.tokyo("2019-12-26", "10:31")
            try await EvidenceWriter.record([EvidenceChange(dispatchID: dispatchID, kind: .startReport, status: .accepted, trust: .registered),
                                             EvidenceChange(dispatchID: dispatchID, kind: .endReport, status: .accepted, trust: .registered)],
                                            source: .init(actor: "test", receivedAt: day), on: app.db, key: app.haken.auditKey, now: day)
            func run(_ iso: String, _ hhmm: String, holder: String = "node-a") async throws -> DeadlineJob.Report {
                try await DeadlineJob.run(app.haken, on: app.db, now: Self.tokyo(iso, hhmm), holder: holder)
            }
            #expect(try await run("2019-12-27", "10:00").reminded == 0)
            #expect(try await run("2019-12-30", "10:00").reminded == 0)   // 年末年始
            #expect(try await run("2020-01-06", "08:30").reminded == 0)   // before opening
            let first = try await run("2020-01-06", "09:01")
            #expect(first.reminded == 1)
            let sent = try await reminders(app)
            #expect(sent.map(\.recipient) == ["info@basona.example.jp", "yorozu@example.jp"])
            #expect(sent.first?.subject.contains("1月7日(火)まで") == true)
            // Again, later, and from another node once the lease has expired: nothing twice.
            #expect(try await run("2020-01-06", "09:02").reminded == 0)
            // While node-a holds the lease (a run in progress), node-b's run does nothing.
            #expect(try await SchedulerLease.acquire("deadlines", holder: "node-a", now: Self.tokyo("2020-01-06", "09:03"), duration: 300, on: app.db))
            #expect(try await run("2020-01-06", "09:03", holder: "node-b").ran == false)
            try await SchedulerLease.release("deadlines", holder: "node-a", on: app.db)
            #expect(try await run("2020-01-07", "11:00", holder: "node-b").reminded == 0)
            #expect(try await reminders(app).count == 2)
            // After the deadline: escalated to the secretariat, once.
            #expect(try await run("2020-01-08", "10:00", holder: "node-b").escalated == 1)
            #expect(try await run("2020-01-08", "10:05", holder: "node-b").escalated == 0)
            app.hakenClock = .fixed(Self.tokyo("2020-01-08", "10:10"))
            let lists = try await app.call(.GET, "api/v1/desk/deadlines")
            #expect((lists["escalations"] as? [[String: Any]])?.first?["duty"] as? String == "photo")
            // The photo arrives: the escalation leaves the list on the next run.
            let late = Self.tokyo("2020-01-08", "11:00")
            try await EvidenceWriter.record([EvidenceChange(dispatchID: dispatchID, kind: .photo, status: .accepted, trust: .registered)],
                                            source: .init(actor: "test", receivedAt: late), on: app.db, key: app.haken.auditKey, now: late)
            _ = try await run("2020-01-08", "11:01", holder: "node-b")
            #expect(try await Reminders.escalationCount(on: app.db) == 0)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "deadline.remind").count() == 1)
        }
    }

    @Test("NOTE-2: after the final deadline the dispatch is proposed, confirmed by a person with a reason, and both parties told", arguments: TestDatabase.all)
    func testNOTE2_outsideProgrammeProposedAndConfirmed(database: TestDatabase) async throws {
        try await database.withHakenApp(now: Self.tokyo("2019-08-20", "10:00")) { app in
            let parties = try await app.seedParties()
            let id = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties)).id
            let second = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties, date: "2019-08-22")).id
            // The final deadline of 8/21 is 20 business days later: 9/19 (敬老の日 and 秋分の日 excluded).
            let after = Self.tokyo("2019-09-20", "10:00")
            app.hakenClock = .fixed(after)
            #expect(try await app.call(.GET, "api/v1/dispatches/\(id)")["state"] as? String == "outsideProposed")
            let report = try await DeadlineJob.run(app.haken, on: app.db, now: after, holder: "node-a")
            #expect(report.proposed == 1)
            var lists = try await app.call(.GET, "api/v1/desk/deadlines")
            #expect((lists["proposals"] as? [[String: Any]])?.map { $0["dispatchId"] as? String } == [id])
            #expect(try await DeadlineJob.run(app.haken, on: app.db, now: after.addingTimeInterval(60), holder: "node-a").proposed == 0)

            let withoutReason = try await app.call(.POST, "api/v1/dispatches/\(id)/outside", json: ["decision": "confirm"])
            #expect(withoutReason.status == .unprocessableEntity && withoutReason.field == "reason")
            let early = try await app.call(.POST, "api/v1/dispatches/\(second)/outside", json: ["decision": "confirm", "reason": "x"])
            #expect(early.status == .unprocessableEntity)   // not proposed: its deadline has not passed
            let confirmed = try await app.call(.POST, "api/v1/dispatches/\(id)/outside", json: ["decision": "confirm", "reason": "従事証明の入力がないまま期限を過ぎた"])
            #expect(confirmed.status == .ok)
            #expect(try await app.call(.GET, "api/v1/dispatches/\(id)")["state"] as? String == "outsideProgramme")
            lists = try await app.call(.GET, "api/v1/desk/deadlines")
            #expect((lists["proposals"] as? [[String: Any]])?.isEmpty == true)
            let notices = try await OutboxModel.query(on: app.db).filter(\.$kind == Outbox.Kind.deskNotice.rawValue).all()
            #expect(Set(notices.map(\.recipient)) == ["info@basona.example.jp", "yorozu@example.jp"])
            #expect(notices.allSatisfy { $0.subject.contains("事業対象外となりました") })
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "dispatch.outside.decide").count() == 1)
        }
    }

    @Test("NOTE-2: a proposed dispatch's deadline is extended by a person; it is looked at again when the new one passes", arguments: TestDatabase.all)
    func testNOTE2_deadlineExtended(database: TestDatabase) async throws {
        try await database.withHakenApp(now: Self.tokyo("2019-08-20", "10:00")) { app in
            let parties = try await app.seedParties()
            let id = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties)).id
            let after = Self.tokyo("2019-09-20", "10:00")
            app.hakenClock = .fixed(after)
            _ = try await DeadlineJob.run(app.haken, on: app.db, now: after, holder: "node-a")
            let extended = try await app.call(.POST, "api/v1/dispatches/\(id)/outside",
                                              json: ["decision": "extend", "reason": "専門家の入院のため", "deadline": "2019-09-27"])
            #expect(extended["deadline"] as? String == "2019-09-27")
            #expect(try await app.call(.GET, "api/v1/dispatches/\(id)")["state"] as? String != "outsideProposed")
            #expect(try await DeadlineJob.run(app.haken, on: app.db, now: Self.tokyo("2019-09-30", "10:00"), holder: "node-a").proposed == 1)
        }
    }
}
