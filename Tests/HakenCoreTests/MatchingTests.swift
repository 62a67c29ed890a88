import Testing
@testable import HakenCore

@Suite struct ReportTimingTests {
    func at(_ iso: String, _ hhmm: String) -> LocalDateTime {
        LocalDateTime(date: CivilDate(iso: iso)!, time: TimeOfDay(hhmm: hhmm)!)
    }

    @Test("DAY-1: start report within20 minutes") func testDAY1_startReportWithin20Minutes() {
        let written = at("2019-08-21", "10:30")
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-21", "10:30")) == .onTime)
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-21", "10:10")) == .onTime)
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-21", "10:50")) == .onTime)
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-21", "10:51")) == .outsideWindow(minutes: 21))
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-21", "10:09")) == .outsideWindow(minutes: -21))
    }

    @Test("DAY-2: end report window crosses midnight") func testDAY2_endReportWindowCrossesMidnight() {
        let written = at("2019-08-21", "23:50")
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-22", "00:05")) == .onTime)
        #expect(ReportTiming.punctuality(written: written, received: at("2019-08-22", "00:15")) == .outsideWindow(minutes: 25))
    }

    @Test("DEC-1: receipt time is read on the tokyo clock") func testDEC1_receiptTimeIsReadOnTheTokyoClock() {
        // 01:25 UTC is 10:25 in Tokyo: on time for a 10:30 start.
        let received = TokyoClock.local(secondsSince1970: 1_566_350_700)
        #expect(ReportTiming.punctuality(written: at("2019-08-21", "10:30"), received: received) == .onTime)
    }

    @Test("DEC-2: written time different from schedule is flagged") func testDEC2_writtenTimeDifferentFromScheduleIsFlagged() {
        #expect(ReportTiming.scheduleDiscrepancy(written: TimeOfDay(hhmm: "10:30")!, scheduled: TimeOfDay(hhmm: "10:30")!) == nil)
        #expect(ReportTiming.scheduleDiscrepancy(written: TimeOfDay(hhmm: "11:00")!, scheduled: TimeOfDay(hhmm: "10:30")!) == 30)
        #expect(ReportTiming.scheduleDiscrepancy(written: TimeOfDay(hhmm: "10:25")!, scheduled: TimeOfDay(hhmm: "10:30")!) == -5)
    }

    @Test("DEC-3: year nearest the receipt date") func testDEC3_yearNearestTheReceiptDate() {
        func infer(_ m: Int, _ d: Int, _ received: String) -> String? {
            ReportTiming.inferDate(month: m, day: d, receivedOn: CivilDate(iso: received)!)?.iso
        }
        #expect(infer(8, 21, "2019-08-21") == "2019-08-21")
        #expect(infer(12, 31, "2020-01-01") == "2019-12-31")
        #expect(infer(1, 2, "2019-12-30") == "2020-01-02")
        #expect(infer(6, 1, "2019-10-30") == "2019-06-01")
        #expect(infer(6, 1, "2019-12-30") == "2020-06-01")
        #expect(infer(2, 29, "2020-03-01") == "2020-02-29")
        #expect(infer(2, 29, "2019-03-01") == "2020-02-29")   // only leap year in reach
        #expect(infer(2, 30, "2020-03-01") == nil)
        #expect(infer(13, 1, "2020-03-01") == nil)
    }

    @Test("DEC-5: the written time decides start or end; a tie or no schedule falls back to what is recorded")
    func writtenTimeDecidesStartOrEnd() {
        let start = TimeOfDay(hhmm: "10:30")!, end = TimeOfDay(hhmm: "15:00")!
        func role(_ t: String, _ recorded: Bool) -> ReportTiming.Role {
            ReportTiming.role(written: TimeOfDay(hhmm: t)!, scheduledStart: start, scheduledEnd: end, startRecorded: recorded)
        }
        #expect(role("10:30", false) == .start)
        #expect(role("15:00", false) == .end)     // nearer the end: the end, though no start is recorded
        #expect(role("10:40", true) == .start)
        #expect(role("15:00", true) == .end)
        #expect(role("12:44", true) == .start)
        #expect(role("12:45", false) == .start)   // exactly halfway: the start while none is recorded
        #expect(role("12:45", true) == .end)      // … otherwise the end
        #expect(role("12:46", false) == .end)
        // The night dispatch 00:10–03:20: 3:20 alone is the end report.
        #expect(ReportTiming.role(written: TimeOfDay(hhmm: "03:20")!, scheduledStart: TimeOfDay(hhmm: "00:10")!,
                                  scheduledEnd: TimeOfDay(hhmm: "03:20")!, startRecorded: false) == .end)
        // No schedule time: first report the start, then the end.
        #expect(ReportTiming.role(written: TimeOfDay(hhmm: "09:00")!, scheduledStart: nil, scheduledEnd: nil, startRecorded: false) == .start)
        #expect(ReportTiming.role(written: TimeOfDay(hhmm: "09:00")!, scheduledStart: nil, scheduledEnd: nil, startRecorded: true) == .end)
    }
}

@Suite struct NameMatcherTests {
    @Test("DEC-4: legal forms spaces and width are ignored") func testDEC4_legalFormsSpacesAndWidthAreIgnored() {
        #expect(NameMatcher.compare("ばそな建設", "ばそな建設") == .exact)
        #expect(NameMatcher.compare("株式会社ばそな建設", "ばそな建設") == .exact)
        #expect(NameMatcher.compare("㈱ばそな建設", "ばそな建設株式会社") == .exact)
        #expect(NameMatcher.compare("（株）ばそな 建設", "ばそな建設") == .exact)
        #expect(NameMatcher.compare("ばそな　建設 (有)", "有限会社ばそな建設") == .exact)
        #expect(NameMatcher.compare("ＡＢＣ商事", "abc商事") == .exact)
        #expect(NameMatcher.compare("専門家 次郎", "専門家次郎") == .exact)
        #expect(NameMatcher.compare("専門家次郎先生", "専門家次郎") == .exact)
        #expect(NameMatcher.compare("専門家次郎様", "専門家次郎") == .exact)
        #expect(NameMatcher.compare("一般社団法人みらい協会", "みらい協会") == .exact)
    }

    @Test("DEC-4: close names match but are flagged") func testDEC4_closeNamesMatchButAreFlagged() {
        #expect(NameMatcher.compare("バソナ建設", "ばそな建設") == .close)
        #expect(NameMatcher.compare("ばそな建築", "ばそな建設") == .close)
        #expect(NameMatcher.compare("専門家二郎", "専門家次郎") == .close)
        #expect(NameMatcher.compare("ばそな建設", "ばそな") == .different)
        #expect(NameMatcher.compare("山田工業", "田中商店") == .different)
        #expect(NameMatcher.compare("", "ばそな建設") == .different)
        #expect(NameMatcher.compare("株式会社", "ばそな建設") == .different)
    }

    @Test func editDistanceIsBounded() {
        #expect(NameMatcher.editDistance(Array("kitten"), Array("sitting"), limit: 5) == 3)
        #expect(NameMatcher.editDistance(Array("kitten"), Array("sitting"), limit: 1) == 2)
        #expect(NameMatcher.editDistance(Array(""), Array("ab"), limit: 3) == 2)
    }
}
