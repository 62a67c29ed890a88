import Foundation
import Testing
@testable import HakenCore

/// NOTE-1, NOTE-4: deadlines in business days, reminders only in office hours, escalation after.
@Suite struct DeadlineRulesTests {
    static func at(_ iso: String, _ hhmm: String) -> LocalDateTime { LocalDateTime(date: CivilDate(iso: iso)!, time: TimeOfDay(hhmm: hhmm)!) }

    /// Reports on the day; photo, expert report and certification still to come.
    static func facts(_ day: String, evidence extra: [EvidenceKind: EvidenceItem] = [:]) -> DeadlineFacts {
        let date = CivilDate(iso: day)!
        var evidence = EvidenceChecklist()
        evidence[.startReport] = EvidenceItem(status: .accepted, receivedAt: LocalDateTime(date: date, time: TimeOfDay(hhmm: "10:31")!))
        evidence[.endReport] = EvidenceItem(status: .accepted, receivedAt: LocalDateTime(date: date, time: TimeOfDay(hhmm: "15:01")!))
        evidence[.photoConsent] = EvidenceItem(status: .accepted)
        for (kind, item) in extra { evidence[kind] = item }
        return DeadlineFacts(dispatch: DispatchFacts(date: date, evidence: evidence))
    }

    let settings = DeadlineSettings()

    @Test("NOTE-4: across the year-end break the photo's deadline skips 12/29–1/3 and the weekend; the reminder waits for office hours")
    func yearEnd() {
        let facts = Self.facts("2019-12-26")
        let photo = DeadlineRules.open(facts, today: CivilDate(iso: "2019-12-27")!, settings: settings).first { $0.kind == .photo }
        #expect(photo?.deadline == CivilDate(iso: "2020-01-07"))
        #expect(DeadlineRules.due(facts, now: Self.at("2019-12-27", "10:00"), settings: settings).isEmpty)
        #expect(DeadlineRules.due(facts, now: Self.at("2019-12-30", "10:00"), settings: settings).isEmpty)   // 年末年始: closed
        #expect(DeadlineRules.due(facts, now: Self.at("2020-01-06", "08:59"), settings: settings).isEmpty)   // before opening
        #expect(DeadlineRules.due(facts, now: Self.at("2020-01-06", "09:00"), settings: settings)
                == [DeadlineRules.Due(kind: .photo, stage: .before, deadline: CivilDate(iso: "2020-01-07")!)])
        #expect(DeadlineRules.due(facts, now: Self.at("2020-01-06", "17:00"), settings: settings).isEmpty)   // 17:00 is closed
        #expect(DeadlineRules.due(facts, now: Self.at("2020-01-08", "03:00"), settings: settings)
                == [DeadlineRules.Due(kind: .photo, stage: .overdue, deadline: CivilDate(iso: "2020-01-07")!)])   // escalation at any hour
    }

    @Test("NOTE-4: a holiday weekend (敬老の日) moves the deadline and the reminder")
    func holidayWeekend() {
        let facts = Self.facts("2019-09-13")
        #expect(DeadlineRules.open(facts, today: CivilDate(iso: "2019-09-13")!, settings: settings).first?.deadline == CivilDate(iso: "2019-09-19"))
        #expect(DeadlineRules.due(facts, now: Self.at("2019-09-16", "10:00"), settings: settings).isEmpty)   // 敬老の日
        #expect(DeadlineRules.due(facts, now: Self.at("2019-09-17", "10:00"), settings: settings).isEmpty)   // two business days left
        #expect(DeadlineRules.due(facts, now: Self.at("2019-09-18", "10:00"), settings: settings).map(\.kind) == [.photo])
    }

    @Test("AFT-2: the certification's deadline counts from the expert's report; DAY-4: the declaration's from when it was asked for")
    func certificationAndDeclaration() {
        let reportDay = LocalDateTime(date: CivilDate(iso: "2019-08-23")!, time: TimeOfDay(hhmm: "18:00")!)
        let reported = Self.facts("2019-08-21", evidence: [.photo: EvidenceItem(status: .accepted, receivedAt: Self.at("2019-08-21", "15:05")),
                                                            .expertReport: EvidenceItem(status: .accepted, receivedAt: reportDay)])
        let open = DeadlineRules.open(reported, today: CivilDate(iso: "2019-08-26")!, settings: settings)
        #expect(open.map(\.kind) == [.certification, .final])
        #expect(open.first?.deadline == CivilDate(iso: "2019-08-30"))   // five business days after Friday the 23rd

        var rejected = Self.facts("2019-08-21", evidence: [.startReport: EvidenceItem(status: .rejected, receivedAt: Self.at("2019-08-21", "11:30"))])
        rejected.declarationAskedOn = CivilDate(iso: "2019-08-28")
        let declaration = DeadlineRules.open(rejected, today: CivilDate(iso: "2019-08-28")!, settings: settings).first { $0.kind == .declaration }
        #expect(declaration?.deadline == CivilDate(iso: "2019-09-11"))   // ten business days after the ruling
        rejected.declarationAskedOn = nil
        let standard = DeadlineRules.open(rejected, today: CivilDate(iso: "2019-08-22")!, settings: settings).first { $0.kind == .declaration }
        #expect(standard?.deadline == CivilDate(iso: "2019-09-05"))      // ten business days after the day after the support
    }

    @Test("NOTE-2: no duty of a complete, cancelled or future dispatch falls due; deadlines never pass the final one")
    func nothingDueWhenSettled() {
        var done = Self.facts("2019-08-21")
        for kind in [EvidenceKind.photo, .expertReport, .certification] { done.dispatch.evidence[kind] = EvidenceItem(status: .accepted) }
        #expect(DeadlineRules.open(done, today: CivilDate(iso: "2019-08-22")!, settings: settings).isEmpty)
        var cancelled = Self.facts("2019-08-21")
        cancelled.dispatch.cancelled = true
        #expect(DeadlineRules.open(cancelled, today: CivilDate(iso: "2019-08-22")!, settings: settings).isEmpty)
        #expect(DeadlineRules.open(Self.facts("2019-08-21"), today: CivilDate(iso: "2019-08-20")!, settings: settings).isEmpty)
        var short = Self.facts("2019-08-21")
        short.dispatch.deadline = CivilDate(iso: "2019-08-22")!
        #expect(DeadlineRules.open(short, today: CivilDate(iso: "2019-08-22")!, settings: settings).allSatisfy { $0.deadline <= CivilDate(iso: "2019-08-22")! })
    }

    @Test("NOTE-2: a proposed dispatch is confirmed with a reason, or extended to a business day ahead")
    func outsideRuling() throws {
        let today = CivilDate(iso: "2019-10-01")!
        #expect(try OutsideProgrammeRuling.decide("confirm", reason: "従事証明なし", newDeadline: nil, state: .outsideProposed, today: today)
                == .confirm(reason: "従事証明なし"))
        #expect(try OutsideProgrammeRuling.decide("extend", reason: "入院のため", newDeadline: "2019-10-08", state: .outsideProposed, today: today)
                == .extend(to: CivilDate(iso: "2019-10-08")!, reason: "入院のため"))
        #expect(throws: ValidationFailure.self) { try OutsideProgrammeRuling.decide("confirm", reason: " ", newDeadline: nil, state: .outsideProposed, today: today) }
        #expect(throws: ValidationFailure.self) { try OutsideProgrammeRuling.decide("extend", reason: "x", newDeadline: "2019-10-05", state: .outsideProposed, today: today) }   // Saturday
        #expect(throws: ValidationFailure.self) { try OutsideProgrammeRuling.decide("extend", reason: "x", newDeadline: "2019-09-30", state: .outsideProposed, today: today) }
        #expect(throws: ValidationFailure.self) { try OutsideProgrammeRuling.decide("confirm", reason: "x", newDeadline: nil, state: .complete, today: today) }
    }
}
