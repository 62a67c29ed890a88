import Foundation
import Testing
@testable import HakenCore

/// The secretariat's decisions as pure rules (#11): rulings on mail, ranking an unmatched
/// mail's dispatches, the photo check, declarations and disputes.
@Suite struct DeskRulesTests {
    static let day = CivilDate(iso: "2019-08-21")!
    static func at(_ hhmm: String, on day: CivilDate = day) -> LocalDateTime { LocalDateTime(date: day, time: TimeOfDay(hhmm: hhmm)!) }

    func dispatch(_ evidence: [EvidenceKind: RecordedEvidence] = [:], business: String = "ばそな建設", expert: String = "専門家次郎",
                  day: CivilDate = day, id: UUID = UUID()) -> CandidateDispatch {
        CandidateDispatch(id: id, business: BusinessRef(id: UUID(), name: business), expertName: expert,
                          schedule: DispatchSchedule(date: day, start: TimeOfDay(hhmm: "10:30")!, end: TimeOfDay(hhmm: "15:00")!, place: "本社"),
                          evidence: evidence)
    }

    func report(_ hhmm: String) -> ReportSubject {
        ReportSubject(business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, time: TimeOfDay(hhmm: hhmm)!)
    }

    @Test("DEC-7: accepting a report in review gives it what its timing earns (DAY-1 ±20 minutes)")
    func acceptingEarnsTheTimingStatus() throws {
        let owned = [EvidenceKind.startReport: RecordedEvidence(status: .review, trust: .unknownMobile)]
        let onTime = try MailRuling.review(.accept, mailStatus: .review, received: Self.at("10:45"), report: report("10:30"),
                                           dispatch: dispatch(), owned: owned, reason: nil)
        #expect(onTime.mailStatus == .matched)
        #expect(onTime.evidence.map(\.status) == [.accepted])
        #expect(onTime.evidence.first?.trust == .unknownMobile)   // DEC-11: the sender's trust stays what it was
        let late = try MailRuling.review(.accept, mailStatus: .review, received: Self.at("10:51"), report: report("10:30"),
                                         dispatch: dispatch(), owned: owned, reason: nil)
        #expect(late.evidence.map(\.status) == [.late])
    }

    @Test("DAY-1: overriding lateness and rejecting need a reason; a rejection is recorded as rejected")
    func reasonsAreRequired() throws {
        let late = [EvidenceKind.endReport: RecordedEvidence(status: .late, trust: .registered)]
        #expect(throws: MailRuling.Refusal.reasonRequired) {
            try MailRuling.review(.accept, mailStatus: .matched, received: Self.at("15:30"), report: nil, dispatch: dispatch(), owned: late, reason: "  ")
        }
        let overridden = try MailRuling.review(.accept, mailStatus: .matched, received: Self.at("15:30"), report: nil, dispatch: dispatch(),
                                               owned: late, reason: "サーバー障害で受信が遅れた")
        #expect(overridden.evidence.map(\.status) == [.accepted])
        #expect(overridden.evidence.first?.note?.contains("サーバー障害") == true)
        #expect(throws: MailRuling.Refusal.reasonRequired) {
            try MailRuling.review(.reject, mailStatus: .review, received: Self.at("15:30"), report: nil, dispatch: dispatch(), owned: late, reason: nil)
        }
        #expect(throws: MailRuling.Refusal.reasonTooLong) {
            try MailRuling.review(.reject, mailStatus: .review, received: Self.at("15:30"), report: nil, dispatch: dispatch(), owned: late,
                                  reason: String(repeating: "あ", count: 1001))
        }
        let rejected = try MailRuling.review(.reject, mailStatus: .review, received: Self.at("15:30"), report: nil, dispatch: dispatch(),
                                             owned: late, reason: "別の日の報告")
        #expect(rejected.mailStatus == .rejected && rejected.evidence.map(\.status) == [.rejected])
        #expect(throws: MailRuling.Refusal.notDecidable(.unmatched)) {
            try MailRuling.review(.accept, mailStatus: .unmatched, received: Self.at("15:30"), report: nil, dispatch: dispatch(), owned: [:], reason: nil)
        }
    }

    @Test("DEC-8: an assigned mail is recorded with the secretariat's trust; without a written time, against the schedule")
    func assignment() throws {
        let outcome = try MailRuling.assign(mailStatus: .unmatched, kind: .endReport, received: Self.at("15:10"), report: nil, photoFile: nil,
                                            dispatch: dispatch(), cancelled: false, reason: nil)
        #expect(outcome.evidence.first?.status == .accepted && outcome.evidence.first?.trust == .secretariat)
        let late = try MailRuling.assign(mailStatus: .unmatched, kind: .startReport, received: Self.at("12:00"), report: nil, photoFile: nil,
                                         dispatch: dispatch(), cancelled: false, reason: nil)
        #expect(late.evidence.first?.status == .late)
        #expect(throws: MailRuling.Refusal.noPhotoInMail) {
            try MailRuling.assign(mailStatus: .unmatched, kind: .photo, received: Self.at("15:10"), report: nil, photoFile: nil,
                                  dispatch: dispatch(), cancelled: false, reason: nil)
        }
        #expect(throws: MailRuling.Refusal.kindNotAssignable) {
            try MailRuling.assign(mailStatus: .unmatched, kind: .certification, received: Self.at("15:10"), report: nil, photoFile: nil,
                                  dispatch: dispatch(), cancelled: false, reason: nil)
        }
        #expect(throws: MailRuling.Refusal.dispatchCancelled) {
            try MailRuling.assign(mailStatus: .unmatched, kind: .startReport, received: Self.at("10:30"), report: nil, photoFile: nil,
                                  dispatch: dispatch(), cancelled: true, reason: nil)
        }
        // AFT-3: a photo assigned after the certification is late.
        let certified = dispatch([.certification: RecordedEvidence(status: .accepted, trust: .registered, receivedAt: Self.at("18:00"))])
        let photo = try MailRuling.assign(mailStatus: .unmatched, kind: .photo, received: Self.at("19:00"), report: nil, photoFile: "files/p.jpg",
                                          dispatch: certified, cancelled: false, reason: nil)
        #expect(photo.evidence.first?.status == .late && photo.evidence.first?.file == "files/p.jpg")
        // A photo that arrived before the certification is not late because a person accepts it after.
        let early = try MailRuling.review(.accept, mailStatus: .review, received: Self.at("15:10"), report: nil, dispatch: certified,
                                          owned: [.photo: RecordedEvidence(status: .review, trust: .unknownMobile)], reason: nil)
        #expect(early.evidence.first?.status == .accepted)
        #expect(throws: MailRuling.Refusal.reasonRequired) { try MailRuling.dismiss(mailStatus: .unmatched, reason: "") }
        #expect(try MailRuling.dismiss(mailStatus: .unmatched, reason: "広告").mailStatus == .dismissed)
        #expect(throws: MailRuling.Refusal.notDecidable(.matched)) { try MailRuling.dismiss(mailStatus: .matched, reason: "広告") }
    }

    @Test("DEC-8: candidates for an unmatched mail are ranked by sender, names and date, with the reasons")
    func candidatesAreRanked() {
        let businessID = UUID()
        var own = dispatch(business: "ばそな建設", expert: "専門家次郎")
        own.business.id = businessID
        let otherDay = dispatch(business: "ばそな建設", expert: "専門家次郎", day: Self.day.adding(days: 2))
        let stranger = dispatch(business: "さくら製菓", expert: "山田花子")
        let mail = AssignmentCandidates.Mail(received: Self.at("10:33"), subjectText: "ばそな建設/山田一郎/8月21日 10:30",
                                             report: ReportSubject(business: "ばそな建設", expert: "山田一郎", month: 8, day: 21, time: TimeOfDay(hhmm: "10:30")!),
                                             senderBusinessID: businessID)
        let ranked = AssignmentCandidates.rank(mail, among: [stranger, otherDay, own])
        #expect(ranked.map(\.dispatch.id) == [own.id, otherDay.id, stranger.id])
        #expect(ranked.first?.reasons.contains("差出人はこの事業者の登録アドレス") == true)
        #expect(ranked.first?.reasons.contains("件名の日付が支援日") == true)
        #expect(ranked[1].reasons.contains("支援日の2日前に受信"))
        #expect(AssignmentCandidates.rank(mail, among: []).isEmpty)
    }

    @Test("#11: a processed mail waits in the queues its status, flags and lateness name; a consent in the register instead")
    func queueMembership() {
        #expect(DeskQueue.queues(status: .unmatched, flags: [], lateReport: false) == [.unmatched])
        #expect(DeskQueue.queues(status: .refused, flags: [], lateReport: false) == [.refused])
        #expect(DeskQueue.queues(status: .review, flags: [.unknownSender, .nameMismatch], lateReport: true) == [.unknownSender, .nameMismatch, .late])
        #expect(DeskQueue.queues(status: .matched, flags: [.scheduleDiscrepancy], lateReport: false) == [.scheduleDiscrepancy])
        #expect(DeskQueue.queues(status: .review, flags: [.consent], lateReport: false).isEmpty)
        #expect(DeskQueue.queues(status: .matched, flags: [], lateReport: false).isEmpty)
        #expect(DeskQueue.queues(status: .dismissed, flags: [.unknownSender], lateReport: true).isEmpty)
    }

    @Test("DAY-5: accepting a photo needs all four points; rejecting needs the reason and names what was not seen")
    func photoCheck() throws {
        #expect(throws: PhotoCheck.Refusal.pointsUnconfirmed([.atSupportSite])) {
            try PhotoCheck.decide(.accept, confirmed: [.consultedPersonPresent, .expertPresent, .facesRecognisable], reason: nil,
                                  current: .accepted, arrivedAfterCertification: false)
        }
        let accepted = try PhotoCheck.decide(.accept, confirmed: Set(PhotoCheck.Point.allCases), reason: nil, current: .review, arrivedAfterCertification: false)
        #expect(accepted.status == .accepted)
        #expect(try PhotoCheck.decide(.accept, confirmed: Set(PhotoCheck.Point.allCases), reason: nil, current: .late,
                                      arrivedAfterCertification: true).status == .late)
        #expect(throws: PhotoCheck.Refusal.reasonRequired) {
            try PhotoCheck.decide(.reject, confirmed: [], reason: nil, current: .accepted, arrivedAfterCertification: false)
        }
        let rejected = try PhotoCheck.decide(.reject, confirmed: [.expertPresent], reason: "逆光で顔が見えない", current: .accepted, arrivedAfterCertification: false)
        #expect(rejected.status == .rejected && rejected.note.contains("顔が判別できる") && rejected.note.contains("逆光"))
        #expect(throws: PhotoCheck.Refusal.nothingToCheck) {
            try PhotoCheck.decide(.accept, confirmed: Set(PhotoCheck.Point.allCases), reason: nil, current: .missing, arrivedAfterCertification: false)
        }
    }

    @Test("DAY-5: an unchecked photo keeps the dispatch under review; once checked it counts")
    func uncheckedPhotoIsPending() {
        var evidence = EvidenceChecklist()
        for kind in EvidenceKind.allCases where kind != .declaration { evidence[kind] = EvidenceItem(status: .accepted, receivedAt: Self.at("15:00")) }
        evidence[.photo] = EvidenceItem(status: .accepted, receivedAt: Self.at("15:00"), unchecked: true)
        let today = Self.day.adding(days: 3)
        #expect(DispatchRules.assess(DispatchFacts(date: Self.day, evidence: evidence), today: today).state == .underReview)
        evidence[.photo].unchecked = false
        #expect(DispatchRules.assess(DispatchFacts(date: Self.day, evidence: evidence), today: today).state == .complete)
    }

    @Test("DAY-4/DAY-7: the dispatch asks for the right variant; a declaration counts with three seals and only for what is needed")
    func declarations() throws {
        var evidence = EvidenceChecklist()
        evidence[.startReport] = EvidenceItem(status: .rejected, receivedAt: Self.at("11:30"))
        evidence[.endReport] = EvidenceItem(status: .late, receivedAt: Self.at("16:00"))
        evidence[.photo] = EvidenceItem(status: .rejected, receivedAt: Self.at("16:00"))
        let assessment = DispatchRules.assess(DispatchFacts(date: Self.day, evidence: evidence), today: Self.day.adding(days: 1))
        let required = DeclarationRules.required(evidence, assessment: assessment)
        #expect(required.map(\.0) == [.reportForgotten, .photoDeficient, .timeCorrected])
        #expect(required.map(\.1) == [[.endReport], [.photo], [.startReport]])

        let today = Self.day.adding(days: 5)
        func input(_ variant: String, _ covers: [String], seals: Bool = true, decision: String = "accept", receivedOn: String? = "2019-08-23",
                   note: String? = nil) -> DeclarationRules.Input {
            .init(variant: variant, covers: covers, receipt: "paper", receivedOn: receivedOn, sealedByBusiness: true, sealedByExpert: seals,
                  sealedByInstitution: true, decision: decision, note: note)
        }
        let needs = assessment.needsDeclarationFor
        #expect(throws: ValidationFailure.self) { try DeclarationRules.validate(input("reportForgotten", ["endReport"], seals: false), needs: needs, scanFile: nil, today: today) }
        #expect(throws: ValidationFailure.self) { try DeclarationRules.validate(input("photoDeficient", ["endReport"]), needs: needs, scanFile: nil, today: today) }
        #expect(throws: ValidationFailure.self) { try DeclarationRules.validate(input("reportForgotten", ["endReport"], receivedOn: "2019-09-30"), needs: needs, scanFile: nil, today: today) }
        #expect(throws: ValidationFailure.self) { try DeclarationRules.validate(input("reportForgotten", ["endReport"], decision: "reject"), needs: needs, scanFile: nil, today: today) }
        #expect(throws: ValidationFailure.self) { try DeclarationRules.validate(input("reportForgotten", ["endReport", "certification"]), needs: needs, scanFile: nil, today: today) }
        let scanInput = DeclarationRules.Input(variant: "reportForgotten", covers: ["endReport"], receipt: "scan", receivedOn: nil, sealedByBusiness: true,
                                               sealedByExpert: true, sealedByInstitution: true, decision: "accept", note: nil)
        #expect(throws: ValidationFailure.self) { try DeclarationRules.validate(scanInput, needs: needs, scanFile: nil, today: today) }
        #expect(try DeclarationRules.validate(scanInput, needs: needs, scanFile: "files/d.pdf", today: today).receipt == .scan(file: "files/d.pdf"))

        let forgotten = try DeclarationRules.validate(input("reportForgotten", ["endReport"]), needs: needs, scanFile: nil, today: today)
        let photo = try DeclarationRules.validate(input("photoDeficient", ["photo"]), needs: needs, scanFile: nil, today: today)
        let corrected = try DeclarationRules.validate(input("timeCorrected", ["startReport"]), needs: needs, scanFile: nil, today: today)
        let refused = try DeclarationRules.validate(input("timeCorrected", ["startReport"], decision: "reject", note: "押印なし"), needs: needs,
                                                    scanFile: nil, today: today)
        #expect(!DeclarationRules.settles(needs, accepted: [forgotten, photo]))
        #expect(!DeclarationRules.settles(needs, accepted: [forgotten, photo, refused]))
        #expect(DeclarationRules.settles(needs, accepted: [forgotten, photo, corrected]))
        #expect(!DeclarationRules.settles([], accepted: [forgotten]))
    }

    @Test("AFT-2/DEC-2: a dispute is settled only while it waits, and only with a reason")
    func disputes() throws {
        #expect(try DisputeRuling.decide(.accept, reason: "双方確認済み", current: .review).status == .accepted)
        #expect(try DisputeRuling.decide(.reject, reason: "支援の実態なし", current: .review).status == .rejected)
        #expect(throws: MailRuling.Refusal.reasonRequired) { try DisputeRuling.decide(.accept, reason: nil, current: .review) }
        #expect(throws: MailRuling.Refusal.self) { try DisputeRuling.decide(.accept, reason: "x", current: .accepted) }
    }
}

/// The fiscal year at a glance (#11).
@Suite struct YearSummaryTests {
    @Test("The year's dispatches by state, institution and month (April first), and days to payable with the median")
    func summary() {
        let year = FiscalYear(startYear: 2019)
        func item(_ iso: String, _ institution: String, complete: Bool, doneAfter days: Int = 10) -> YearSummary.Item {
            let date = CivilDate(iso: iso)!
            var evidence = EvidenceChecklist()
            if complete {
                for kind in EvidenceKind.allCases where kind != .declaration {
                    evidence[kind] = EvidenceItem(status: .accepted, receivedAt: LocalDateTime(date: date.adding(days: kind == .certification ? days : 0),
                                                                                           time: TimeOfDay(hhmm: "10:00")!))
                }
            }
            return YearSummary.Item(facts: DispatchFacts(date: date, evidence: evidence), institution: institution)
        }
        let summary = YearSummary(year: year, items: [item("2019-04-10", "A", complete: true, doneAfter: 5), item("2019-04-20", "B", complete: true, doneAfter: 25),
                                                       item("2020-03-02", "A", complete: false), item("2020-04-01", "A", complete: true),
                                                       item("2020-03-03", "A", complete: true, doneAfter: 12)],
                                  today: CivilDate(iso: "2020-03-05")!)
        #expect(summary.total == 4)   // 2020-04-01 is the next fiscal year
        #expect(summary.byMonth.first == YearSummary.Count(label: "4月", count: 2, complete: 0))
        #expect(summary.byMonth.last == YearSummary.Count(label: "3月", count: 2, complete: 0))
        #expect(summary.byInstitution.first == YearSummary.Count(label: "A", count: 3, complete: 2))
        #expect(summary.byState.map(\.label).contains("完了（支払可）"))
        #expect(summary.daysToPayable.map(\.count) == [1, 1, 1, 0, 0])
        #expect(summary.medianDaysToPayable == 12)
        #expect(summary.outstanding.contains { $0.label == EvidenceKind.startReport.japaneseName })
    }
}
