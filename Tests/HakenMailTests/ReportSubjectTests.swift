import HakenCore
import Testing
@testable import HakenMail

@Suite struct ReportSubjectTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let subject: String
        let business: String
        let expert: String
        let month: Int
        let day: Int
        let start: String
        let end: String?
        var testDescription: String { subject }
    }

    static let typed: [Case] = [
        Case(subject: "ばそな建設/専門家次郎/8月21日 10:30", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:00", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "ばそな建設／専門家次郎／８月２１日　１０：３０", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: " ばそな建設 / 専門家 次郎 / 8 月 21 日 10 : 30 ", business: "ばそな建設", expert: "専門家 次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8/21 10:30", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8/21(水)10時30分", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8月21日 10時", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:00", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8月21日 13時", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "13:00", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8月21日 9:05", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "09:05", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8月21日（水）10：30～15：00", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "ばそな建設/専門家次郎/8月21日(水曜日) 10:30〜15:00", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "ばそな建設/専門家次郎/8月21日 10:30-15:00", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "ばそな建設/専門家次郎/8月21日 10:30－15:00", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "ばそな建設/専門家次郎/8月21日 10:30ー15:00", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "ばそな建設/専門家次郎/8月21日 10時半から15時", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: "15:00"),
        Case(subject: "Re: ばそな建設/専門家次郎/8月21日 10:30", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "RE: Fwd: ばそな建設/専門家次郎/8月21日 10:30", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "転送： ばそな建設/専門家次郎/8月21日 10:30", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "株式会社 ばそな建設/専門家次郎/8月21日 10:30", business: "株式会社 ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ばそな建設・専門家次郎・8月21日 10:30", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ハロー・ワールド/専門家次郎/8月21日 10:30", business: "ハロー・ワールド", expert: "専門家次郎", month: 8, day: 21, start: "10:30", end: nil),
        Case(subject: "ばそな建設/専門家次郎/2月29日 10:30", business: "ばそな建設", expert: "専門家次郎", month: 2, day: 29, start: "10:30", end: nil),
        Case(subject: "ばそな建設/専門家次郎/8月21日 13時～", business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, start: "13:00", end: nil),
    ]

    @Test("DEC-4: reads subjects as people type them", arguments: typed)
    func testDEC4_readsSubjectsAsPeopleTypeThem(_ c: Case) throws {
        guard case .report(let report) = ReportSubjectReader.read(c.subject) else {
            Issue.record("not read as a report: \(c.subject) → \(ReportSubjectReader.read(c.subject))")
            return
        }
        #expect(report.business == c.business)
        #expect(report.expert == c.expert)
        #expect(report.month == c.month && report.day == c.day)
        #expect(report.time.hhmm == c.start)
        #expect(report.end?.hhmm == c.end)
        #expect(report.kind == (c.end == nil ? .time : .period))
    }

    @Test("DAY-1: invalid dates and times are problems not guesses") func testDAY1_invalidDatesAndTimesAreProblemsNotGuesses() {
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎/2月30日 10:30") == .problem(.invalidDate))
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎/13月1日 10:30") == .problem(.invalidDate))
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎/8月21日 24:00") == .problem(.invalidTime))
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎/8月21日 10:61") == .problem(.invalidTime))
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎/8月21日") == .problem(.missingTime))
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎/8月21日 10:30~25:00") == .problem(.invalidTime))
        #expect(ReportSubjectReader.read("写真提出の同意書") == .problem(.notAReport))
        #expect(ReportSubjectReader.read("ばそな建設/専門家次郎") == .problem(.notAReport))
        #expect(ReportSubjectReader.read("お世話になります/よろしく/お願いします") == .problem(.notAReport))
        #expect(ReportSubjectReader.read("/専門家次郎/8月21日 10:30") == .problem(.notAReport))
    }
}

@Suite struct TodayPageSubjectTests {
    @Test("DAY-1, DAY-6: every subject the today page writes is read back as written")
    func todayPageSubjectsReadBack() throws {
        let date = try #require(CivilDate(iso: "2019-08-21"))
        let start = try #require(TimeOfDay(hhmm: "10:30")), end = try #require(TimeOfDay(hhmm: "15:00"))
        let time = ReportSubjectReader.read(ReportMailLinks.timeSubject(business: "ばそな建設", expert: "専門家次郎", date: date, time: start)).report
        #expect(time == ReportSubject(business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, time: start))
        let schedule = DispatchSchedule(date: date, start: start, end: end, place: "本社")
        let photo = ReportSubjectReader.read(ReportMailLinks.photoSubject(business: "ばそな建設", expert: "専門家次郎", schedule: schedule)).report
        #expect(photo == ReportSubject(business: "ばそな建設", expert: "専門家次郎", month: 8, day: 21, time: start, end: end))
    }
}
