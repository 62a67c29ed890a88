import Fluent
import Foundation
import HakenCore
import HakenTestSupport
import Testing
@testable import HakenStore

@Suite struct DispatchRecordsTests {
    func seed(_ db: Database) async throws -> (BusinessModel, DispatchModel) {
        let institution = InstitutionModel(profile: InstitutionProfile(name: "よろず支援拠点東京", kind: .yorozu,
                                                                        email: EmailAddress("yorozu@example.jp")!))
        try await institution.create(on: db)
        let expert = ExpertModel(profile: ExpertProfile(name: "専門家次郎", email: EmailAddress("jiro@example.jp")!))
        try await expert.create(on: db)
        let business = BusinessModel(profile: BusinessProfile(name: "ばそな建設", contactName: "派遣 花子",
                                                              registeredEmail: EmailAddress("info@basona.example.jp")!))
        try await business.create(on: db)
        let schedule = DispatchSchedule(date: CivilDate(iso: "2019-08-21")!, start: TimeOfDay(hhmm: "10:30")!,
                                        end: TimeOfDay(hhmm: "15:00")!, place: "本社")
        let dispatch = try DispatchModel(businessID: business.requireID(), expertID: expert.requireID(),
                                         institutionID: institution.requireID(), schedule: schedule)
        try await dispatch.create(on: db)
        return (business, dispatch)
    }

    @Test("AFT-1: photo consent of the dispatch fiscal year counts", arguments: TestDatabase.all)
    func testAFT1_photoConsentOfTheDispatchFiscalYearCounts(database: TestDatabase) async throws {
        try await database.withApp { app in
            let (business, dispatch) = try await seed(app.db)
            // Consent for the previous fiscal year does not cover a 2019年度 dispatch.
            try await PhotoConsentModel(businessID: business.requireID(), fiscalYear: FiscalYear(startYear: 2018),
                                        status: .accepted, receivedAt: Date(), note: nil).create(on: app.db)
            var facts = try await DispatchRecords.facts(for: dispatch, on: app.db)
            #expect(facts.evidence.status(.photoConsent) == .missing)

            try await PhotoConsentModel(businessID: business.requireID(), fiscalYear: FiscalYear(startYear: 2019),
                                        status: .accepted, receivedAt: Date(), note: nil).create(on: app.db)
            facts = try await DispatchRecords.facts(for: dispatch, on: app.db)
            #expect(facts.evidence.status(.photoConsent) == .accepted)
            #expect(facts.deadline == DispatchDeadline.standard(for: CivilDate(iso: "2019-08-21")!))
        }
    }

    @Test(arguments: TestDatabase.all)
    func recordingEvidenceReplacesTheItem(database: TestDatabase) async throws {
        try await database.withApp { app in
            let (_, dispatch) = try await seed(app.db)
            let id = try dispatch.requireID()
            let received = Date(timeIntervalSince1970: 1_566_351_000)   // 2019-08-21 10:30 JST
            let source = EvidenceWriter.Source(actor: "test", receivedAt: received)
            try await EvidenceWriter.record([EvidenceChange(dispatchID: id, kind: .startReport, status: .review, trust: .unknownMobile, note: "携帯から")],
                                            source: source, on: app.db, key: AuditLogTests.key, now: received)
            // A batch that records the same item twice writes one row carrying the latest.
            try await app.db.hakenTransaction { tx in
                let writer = try await EvidenceWriter.start(on: tx, key: AuditLogTests.key)
                try await writer.record(EvidenceChange(dispatchID: id, kind: .endReport, status: .late, trust: .registered), source: source, now: received)
                try await writer.record(EvidenceChange(dispatchID: id, kind: .endReport, status: .accepted, trust: .registered), source: source, now: received)
                try await writer.record(EvidenceChange(dispatchID: id, kind: .startReport, status: .accepted, trust: .registered), source: source, now: received)
                try await writer.flush()
            }
            let facts = try await DispatchRecords.facts(for: dispatch, on: app.db)
            #expect(facts.evidence.status(.startReport) == .accepted)
            #expect(facts.evidence.status(.endReport) == .accepted)
            #expect(facts.evidence[.startReport].receivedAt?.description == "2019-08-21 10:30")
            let rows = try await EvidenceModel.query(on: app.db).all()
            #expect(rows.count == 2)
            #expect(rows.first { $0.kind == "startReport" }?.trust == "registered")
            // NOTE-3: every change is in the chain, with who, what and when.
            let entries = try await AuditEntryModel.query(on: app.db).filter(\.$action == "evidence.record").count()
            #expect(entries == 4)
            #expect(try await AuditLog.verify(on: app.db, key: AuditLogTests.key) == .intact(entries: 4))
        }
    }

    @Test("REG-2: one registered address belongs to one business", arguments: TestDatabase.all)
    func testREG2_oneRegisteredAddressBelongsToOneBusiness(database: TestDatabase) async throws {
        try await database.withApp { app in
            _ = try await seed(app.db)
            let twin = BusinessModel(profile: BusinessProfile(name: "別会社", contactName: "誰か",
                                                              registeredEmail: EmailAddress("INFO@basona.example.jp")!))
            await #expect(throws: (any Error).self) { try await twin.create(on: app.db) }
        }
    }
}
