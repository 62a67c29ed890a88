import Foundation
import Testing
@testable import HakenCore

/// #12 with DEC-2: what a dispatch's reports say against each other, as pure rules.
@Suite struct CrossCheckTests {
    static let day = CivilDate(iso: "2019-08-21")!

    static func at(_ hhmm: String, on iso: String = "2019-08-21") -> LocalDateTime {
        LocalDateTime(date: CivilDate(iso: iso)!, time: TimeOfDay(hhmm: hhmm)!)
    }

    @Test("DEC-2: the expert's times against the mailed times; a gap over the setting is a discrepancy")
    func expertTimes() {
        let facts = CrossCheck.Facts(mailedStart: Self.at("10:32"), mailedEnd: Self.at("15:01"),
                                     expertStart: TimeOfDay(hhmm: "10:30"), expertEnd: TimeOfDay(hhmm: "16:00"))
        let found = CrossCheck.findings(facts, day: Self.day)
        #expect(found.map(\.kind) == [.expertTimes])
        #expect(found.first?.reason == "終了時刻: 専門家の報告は 16:00、終了報告メールは 15:01（差 59分、許容 20分）。")
        #expect(found.first?.key == "expertTimes:終了")
        // Within the setting (exactly 20 minutes): nothing.
        let close = CrossCheck.Facts(mailedStart: Self.at("10:50"), expertStart: TimeOfDay(hhmm: "10:30"))
        #expect(CrossCheck.findings(close, day: Self.day).isEmpty)
        // A stricter setting finds it.
        #expect(CrossCheck.findings(close, day: Self.day, toleranceMinutes: 10).map(\.kind) == [.expertTimes])
        // Nothing to compare: nothing found.
        #expect(CrossCheck.findings(CrossCheck.Facts(expertStart: TimeOfDay(hhmm: "10:30")), day: Self.day).isEmpty)
    }

    @Test("DEC-2: an end report after midnight is compared across the day; one days later is named as such")
    func acrossMidnight() {
        let night = CrossCheck.Facts(mailedEnd: Self.at("00:05", on: "2019-08-22"), expertEnd: TimeOfDay(hhmm: "23:55"))
        #expect(CrossCheck.findings(night, day: Self.day).isEmpty)
        let later = CrossCheck.Facts(mailedEnd: Self.at("10:00", on: "2019-08-25"), expertEnd: TimeOfDay(hhmm: "15:00"))
        #expect(CrossCheck.findings(later, day: Self.day).first?.reason.contains("支援日と別の日") == true)
    }

    @Test("#12: start reports from two addresses are a discrepancy; the same address twice is not")
    func severalReporters() {
        let two = CrossCheck.Facts(startSenders: ["info@basona.example.jp", "INFO@basona.example.jp", "phone@docomo.ne.jp"])
        let found = CrossCheck.findings(two, day: Self.day)
        #expect(found.map(\.kind) == [.severalReporters])
        #expect(found.first?.reason == "開始報告が複数のアドレスから届いています: info@basona.example.jp、phone@docomo.ne.jp。")
        #expect(CrossCheck.findings(CrossCheck.Facts(startSenders: ["a@x.jp", "a@x.jp"], endSenders: ["a@x.jp"]), day: Self.day).isEmpty)
    }

    @Test("#12: a report for a cancelled dispatch is kept on it, counts for nothing, and is flagged")
    func reportForCancelledDispatch() {
        var cancelled = MailDecisionTests.dispatch()
        cancelled.cancelled = true
        let decision = MailRules.decide(MailDecisionTests.facts("ばそな建設/専門家次郎/8月21日 10:30", at: MailDecisionTests.at("2019-08-21", "10:31"),
                                                                candidates: [cancelled]))
        #expect(decision.status == .review)
        #expect(decision.dispatchID == MailDecisionTests.dispatchID)
        #expect(decision.evidence.isEmpty)
        #expect(decision.findings.map(\.kind) == [.afterCancellation])
        #expect(decision.receipt?.message.body.contains("取り消されています") == true)
        // A dispatch that was rescheduled the same day: the live one is chosen, nothing flagged.
        var live = MailDecisionTests.dispatch(start: "13:00", end: "15:00")
        live.id = UUID(uuidString: "00000000-0000-0000-0000-0000000000d2")!
        let both = MailRules.decide(MailDecisionTests.facts("ばそな建設/専門家次郎/8月21日 10:30", at: MailDecisionTests.at("2019-08-21", "10:31"),
                                                            candidates: [cancelled, live]))
        #expect(both.dispatchID == live.id)
        #expect(both.findings.isEmpty)
    }
}
