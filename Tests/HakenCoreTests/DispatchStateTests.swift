import Testing
@testable import HakenCore

@Suite struct DispatchStateTests {
    static let day = CivilDate(iso: "2019-08-21")!
    static let deadline = DispatchDeadline.standard(for: day)   // 20 business days later
    static let nextDay = day.adding(days: 1)
    static let afterDeadline = deadline.adding(days: 1)

    static func evidence(_ statuses: [EvidenceKind: EvidenceStatus]) -> EvidenceChecklist {
        var checklist = EvidenceChecklist()
        for (kind, status) in statuses { checklist[kind] = EvidenceItem(status: status) }
        return checklist
    }

    static let allDone: [EvidenceKind: EvidenceStatus] = [
        .startReport: .accepted, .endReport: .accepted, .photo: .accepted, .photoConsent: .accepted,
        .expertReport: .accepted, .certification: .accepted,
    ]

    static func with(_ changes: [EvidenceKind: EvidenceStatus]) -> [EvidenceKind: EvidenceStatus] {
        allDone.merging(changes) { $1 }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let statuses: [EvidenceKind: EvidenceStatus]
        let today: CivilDate
        let state: DispatchState
        let declarationFor: [EvidenceKind]
        var testDescription: String { name }
    }

    static let rows: [Row] = [
        Row(name: "before the day", statuses: [:], today: day.adding(days: -1), state: .scheduled, declarationFor: []),
        Row(name: "on the day, nothing yet", statuses: [:], today: day, state: .collecting, declarationFor: []),
        Row(name: "on the day, start in", statuses: [.startReport: .accepted], today: day, state: .collecting, declarationFor: []),
        Row(name: "NOTE-1 everything in: payable", statuses: allDone, today: nextDay, state: .complete, declarationFor: []),
        Row(name: "complete on the day itself", statuses: allDone, today: day, state: .complete, declarationFor: []),
        Row(name: "DAY-4 start report never sent", statuses: with([.startReport: .missing]), today: nextDay,
            state: .declarationRequired, declarationFor: [.startReport]),
        Row(name: "DAY-4 end report outside ±20 min", statuses: with([.endReport: .late]), today: nextDay,
            state: .declarationRequired, declarationFor: [.endReport]),
        Row(name: "DAY-4 declaration replaces the missing start report", statuses: with([.startReport: .missing, .declaration: .accepted]),
            today: nextDay, state: .complete, declarationFor: [.startReport]),
        Row(name: "DAY-4 declaration waiting for review", statuses: with([.startReport: .missing, .declaration: .review]),
            today: nextDay, state: .underReview, declarationFor: [.startReport]),
        Row(name: "DAY-4 declaration rejected", statuses: with([.endReport: .rejected, .declaration: .rejected]),
            today: nextDay, state: .declarationRequired, declarationFor: [.endReport]),
        Row(name: "DAY-7 photo rejected, declaration covers", statuses: with([.photo: .rejected, .declaration: .accepted]),
            today: nextDay, state: .complete, declarationFor: [.photo]),
        Row(name: "DAY-6 photo not yet sent, before certification", statuses: with([.photo: .missing, .certification: .missing]),
            today: nextDay, state: .collecting, declarationFor: []),
        Row(name: "AFT-3 certification entered without a photo", statuses: with([.photo: .missing]), today: nextDay,
            state: .declarationRequired, declarationFor: [.photo]),
        Row(name: "AFT-3 photo after certification (late)", statuses: with([.photo: .late]), today: nextDay,
            state: .declarationRequired, declarationFor: [.photo]),
        Row(name: "one declaration covers all three", statuses: with([.startReport: .missing, .endReport: .late, .photo: .rejected, .declaration: .accepted]),
            today: nextDay, state: .complete, declarationFor: [.startReport, .endReport, .photo]),
        Row(name: "AFT-1 photo consent missing", statuses: with([.photoConsent: .missing]), today: nextDay,
            state: .collecting, declarationFor: []),
        Row(name: "AFT-1 consent by post, waived by the secretariat", statuses: with([.photoConsent: .waived]), today: nextDay,
            state: .complete, declarationFor: []),
        Row(name: "DEC-7 mobile start report in review", statuses: with([.startReport: .review]), today: nextDay,
            state: .underReview, declarationFor: []),
        Row(name: "AFT-2 waiting for the expert's report", statuses: with([.expertReport: .missing, .certification: .missing, .photo: .accepted]),
            today: nextDay, state: .awaitingExpertReport, declarationFor: []),
        Row(name: "AFT-2 waiting for the certification", statuses: with([.certification: .missing]), today: nextDay,
            state: .awaitingCertification, declarationFor: []),
        Row(name: "late certification still counts (NOTE-1 only delays)", statuses: with([.certification: .late]), today: nextDay,
            state: .complete, declarationFor: []),
        Row(name: "NOTE-2 deadline passed without certification: proposed, for a person to confirm", statuses: with([.certification: .missing]),
            today: afterDeadline, state: .outsideProposed, declarationFor: []),
        Row(name: "NOTE-2 deadline passed without a declaration", statuses: with([.startReport: .missing]), today: afterDeadline,
            state: .outsideProposed, declarationFor: [.startReport]),
        Row(name: "NOTE-2 complete before the deadline stays complete", statuses: allDone, today: afterDeadline,
            state: .complete, declarationFor: []),
        Row(name: "NOTE-2 deadline day itself is still open", statuses: with([.certification: .missing]), today: deadline,
            state: .awaitingCertification, declarationFor: []),
    ]

    @Test(arguments: rows)
    func derivesStateFromEvidence(row: Row) {
        let assessment = DispatchRules.assess(DispatchFacts(date: Self.day, evidence: Self.evidence(row.statuses)), today: row.today)
        #expect(assessment.state == row.state)
        #expect(assessment.needsDeclarationFor == row.declarationFor)
        #expect(assessment.paymentEligible == (row.state == .complete))
    }

    @Test("NOTE-2: evidence arriving after the deadline does not count") func testNOTE2_evidenceArrivingAfterTheDeadlineDoesNotCount() {
        var checklist = Self.evidence(Self.allDone)
        let afterDeadline = LocalDateTime(date: Self.afterDeadline, time: TimeOfDay(hour: 10, minute: 0)!)
        checklist[.certification] = EvidenceItem(status: .accepted, receivedAt: afterDeadline)
        var facts = DispatchFacts(date: Self.day, evidence: checklist)
        #expect(DispatchRules.assess(facts, today: Self.afterDeadline).state == .outsideProposed)
        facts.outsideConfirmed = true   // a person confirmed it with a reason
        #expect(DispatchRules.assess(facts, today: Self.afterDeadline).state == .outsideProgramme)
        facts.outsideConfirmed = false
        // Before the deadline passes the same facts would not be judged yet.
        #expect(DispatchRules.assess(facts, today: Self.deadline).state == .complete)
    }

    @Test("AFT-3: photo received after the certification needs a declaration") func testAFT3_photoReceivedAfterTheCertificationNeedsADeclaration() {
        var checklist = Self.evidence(Self.allDone)
        let morning = LocalDateTime(date: Self.nextDay, time: TimeOfDay(hour: 9, minute: 0)!)
        let noon = LocalDateTime(date: Self.nextDay, time: TimeOfDay(hour: 12, minute: 0)!)
        checklist[.certification] = EvidenceItem(status: .accepted, receivedAt: morning)
        checklist[.photo] = EvidenceItem(status: .accepted, receivedAt: noon)
        let assessment = DispatchRules.assess(DispatchFacts(date: Self.day, evidence: checklist), today: Self.nextDay)
        #expect(assessment.state == .declarationRequired)
        #expect(assessment.needsDeclarationFor == [.photo])

        checklist[.photo] = EvidenceItem(status: .accepted, receivedAt: LocalDateTime(date: Self.day, time: TimeOfDay(hour: 15, minute: 5)!))
        #expect(DispatchRules.assess(DispatchFacts(date: Self.day, evidence: checklist), today: Self.nextDay).state == .complete)
    }

    @Test func cancelledIsNeverPayable() {
        let facts = DispatchFacts(date: Self.day, evidence: Self.evidence(Self.allDone), cancelled: true)
        #expect(DispatchRules.assess(facts, today: Self.nextDay).state == .cancelled)
        #expect(!DispatchRules.assess(facts, today: Self.nextDay).paymentEligible)
    }

    /// Every combination of the seven statuses (6^7 = 279,936), on the day after the support
    /// and after the deadline: the invariants of NOTE-1/NOTE-2/DAY-4/DAY-7 hold for all.
    @Test("NOTE-1, NOTE-2: invariants hold for every evidence combination") func testNOTE1_NOTE2_invariantsHoldForEveryEvidenceCombination() {
        let kinds = EvidenceKind.allCases
        let statuses = EvidenceStatus.allCases
        var counts: [DispatchState: Int] = [:]
        var violations: [String] = []
        for code in 0..<Int(pow6(kinds.count)) {
            var remainder = code
            var checklist = EvidenceChecklist()
            for kind in kinds {
                checklist[kind] = EvidenceItem(status: statuses[remainder % statuses.count])
                remainder /= statuses.count
            }
            for today in [Self.nextDay, Self.afterDeadline] {
                let a = DispatchRules.assess(DispatchFacts(date: Self.day, evidence: checklist), today: today)
                counts[a.state, default: 0] += 1
                let good: (EvidenceKind) -> Bool = { [.accepted, .waived].contains(checklist.status($0)) }
                let laterGood: (EvidenceKind) -> Bool = { [.accepted, .waived, .late].contains(checklist.status($0)) }
                if a.paymentEligible {
                    // Payable needs consent, expert report and certification, and each day duty done or declared.
                    let dutiesDone = laterGood(.photoConsent) && laterGood(.expertReport) && laterGood(.certification)
                    let dayDone = [EvidenceKind.startReport, .endReport, .photo].allSatisfy(good) || laterGood(.declaration)
                    if !(dutiesDone && dayDone) { violations.append("payable without duties: \(checklist)") }
                }
                if a.state == .complete && !a.outstanding.isEmpty { violations.append("complete with outstanding items") }
                if a.state != .complete && a.outstanding.isEmpty { violations.append("not complete with nothing outstanding") }
                if today == Self.afterDeadline && ![.complete, .outsideProposed].contains(a.state) {
                    violations.append("after the deadline a dispatch is either complete or outside: \(a.state)")
                }
                if a.state == .underReview && a.inReview.isEmpty { violations.append("in review with nothing in review") }
                if checklist.status(.declaration) == .missing && !a.needsDeclarationFor.isEmpty && a.state == .complete {
                    violations.append("complete without the required declaration")
                }
                if violations.count > 5 { break }
            }
        }
        #expect(violations.isEmpty, "\(violations.prefix(5))")
        for state in [DispatchState.collecting, .underReview, .declarationRequired, .awaitingExpertReport,
                      .awaitingCertification, .complete, .outsideProposed] {
            #expect(counts[state, default: 0] > 0, "state \(state) is reachable")
        }
    }

    private func pow6(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { acc, _ in acc * 6 } }
}
