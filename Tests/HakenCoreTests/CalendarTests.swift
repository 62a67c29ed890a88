import Testing
@testable import HakenCore

@Suite struct CivilDateTests {
    @Test func dayNumberRoundTripsAcrossCenturies() {
        for number in stride(from: -30_000, through: 60_000, by: 7) {
            #expect(CivilDate(dayNumber: number).dayNumber == number)
        }
        #expect(CivilDate(iso: "1970-01-01")!.dayNumber == 0)
        #expect(CivilDate(iso: "2019-08-21")!.weekday == .wednesday)
        #expect(CivilDate(iso: "2000-02-29")!.weekday == .tuesday)
    }

    @Test func rejectsDatesThatDoNotExist() {
        #expect(CivilDate(year: 2019, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2020, month: 2, day: 29) != nil)
        #expect(CivilDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CivilDate(year: 2019, month: 4, day: 31) == nil)
        #expect(CivilDate(iso: "2019-8-21") == nil)
        #expect(CivilDate(iso: "2019/08/21") == nil)
        #expect(CivilDate(iso: "２０１９-08-21") == nil)
        #expect(TimeOfDay(hhmm: "24:00") == nil)
        #expect(TimeOfDay(hhmm: "9:30") == nil)
        #expect(TimeOfDay(hhmm: "09:30")?.minutesSinceMidnight == 570)
    }

    @Test func tokyoClockIsUTCPlusNine() {
        // 2019-08-21T01:30:00Z is 10:30 in Tokyo.
        let local = TokyoClock.local(secondsSince1970: 1_566_351_000)
        #expect(local.description == "2019-08-21 10:30")
        #expect(TokyoClock.secondsSince1970(local) == 1_566_351_000)
        #expect(TokyoClock.local(secondsSince1970: 1_566_320_399).description == "2019-08-21 01:59")
    }
}

@Suite struct FiscalYearTests {
    @Test func runsFromAprilToMarch() {
        #expect(FiscalYear(containing: CivilDate(iso: "2019-04-01")!).startYear == 2019)
        #expect(FiscalYear(containing: CivilDate(iso: "2020-03-31")!).startYear == 2019)
        #expect(FiscalYear(containing: CivilDate(iso: "2019-03-31")!).startYear == 2018)
        #expect(FiscalYear(startYear: 2019).lastDay.iso == "2020-03-31")
    }

    @Test func labelsWithTheEra() {
        let fy2019 = FiscalYear(startYear: 2019)
        #expect(fy2019.label == "2019年度")
        #expect(fy2019.eraLabel == "令和元年度")
        #expect(fy2019.eraLabels == ["令和元年度", "平成31年度"])
        #expect(FiscalYear(startYear: 2018).eraLabels == ["平成30年度"])
        #expect(FiscalYear(startYear: 2020).eraLabels == ["令和2年度"])
        #expect(FiscalYear(startYear: 1988).eraLabels == ["昭和63年度"])
        #expect(FiscalYear(startYear: 1989).eraLabels == ["平成元年度"])
    }

    @Test func formatsDatesAsPeopleReadThem() {
        #expect(JapaneseEra.format(CivilDate(iso: "2019-05-01")!) == "令和元年5月1日")
        #expect(JapaneseEra.format(CivilDate(iso: "2019-04-30")!) == "平成31年4月30日")
        #expect(JapaneseEra.format(CivilDate(iso: "1989-01-07")!) == "昭和64年1月7日")
        #expect(JapaneseEra.format(CivilDate(iso: "1989-01-08")!) == "平成元年1月8日")
        #expect(JapaneseDateFormat.monthDayWeekday(CivilDate(iso: "2019-08-21")!) == "8月21日(水)")
        #expect(JapaneseDateFormat.full(CivilDate(iso: "2019-08-21")!) == "2019年8月21日(水)")
    }
}

@Suite struct BusinessCalendarTests {
    func date(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
    func at(_ iso: String, _ hhmm: String) -> LocalDateTime { LocalDateTime(date: date(iso), time: TimeOfDay(hhmm: hhmm)!) }

    @Test("NOTE-4: office hours are weekdays nine to five") func testNOTE4_officeHoursAreWeekdaysNineToFive() {
        #expect(BusinessCalendar.isOpen(at: at("2019-08-21", "09:00")))
        #expect(BusinessCalendar.isOpen(at: at("2019-08-21", "16:59")))
        #expect(!BusinessCalendar.isOpen(at: at("2019-08-21", "17:00")))
        #expect(!BusinessCalendar.isOpen(at: at("2019-08-21", "08:59")))
        #expect(!BusinessCalendar.isOpen(at: at("2019-08-24", "10:00")))  // Saturday
        #expect(!BusinessCalendar.isOpen(at: at("2019-08-25", "10:00")))  // Sunday
        #expect(!BusinessCalendar.isOpen(at: at("2019-08-12", "10:00")))  // 振替休日
        #expect(!BusinessCalendar.isOpen(at: at("2019-12-30", "10:00")))  // 年末年始 (a Monday)
        #expect(!BusinessCalendar.isOpen(at: at("2020-01-03", "10:00")))  // 年末年始 (a Friday)
        #expect(BusinessCalendar.closedReason(date("2019-12-30")) == "年末年始")
        #expect(BusinessCalendar.closedReason(date("2019-12-27")) == nil)
    }

    @Test("NOTE-4: next opening skips closed days") func testNOTE4_nextOpeningSkipsClosedDays() {
        #expect(BusinessCalendar.nextOpening(atOrAfter: at("2019-12-27", "17:30")) == at("2020-01-06", "09:00"))
        #expect(BusinessCalendar.nextOpening(atOrAfter: at("2019-08-21", "07:00")) == at("2019-08-21", "09:00"))
        #expect(BusinessCalendar.nextOpening(atOrAfter: at("2019-08-21", "10:00")) == at("2019-08-21", "10:00"))
        #expect(BusinessCalendar.nextOpening(atOrAfter: at("2019-05-03", "10:00")) == at("2019-05-07", "09:00"))
    }

    @Test func businessDayArithmeticSkipsWeekendsHolidaysAndYearEnd() {
        #expect(BusinessCalendar.adding(businessDays: 0, to: date("2019-08-21")) == date("2019-08-21"))
        #expect(BusinessCalendar.adding(businessDays: 3, to: date("2019-08-21")) == date("2019-08-26"))
        // Golden Week 2019: 4/27–5/6 closed.
        #expect(BusinessCalendar.adding(businessDays: 1, to: date("2019-04-26")) == date("2019-05-07"))
        #expect(BusinessCalendar.adding(businessDays: 1, to: date("2019-12-27")) == date("2020-01-06"))
        #expect(BusinessCalendar.businessDays(from: date("2019-04-26"), to: date("2019-05-07")) == 1)
        #expect(BusinessCalendar.businessDays(from: date("2019-08-21"), to: date("2019-08-21")) == 0)
    }
}

/// DEC-13: every calendar function is total. Each day from 1900 to 2199 and a spread of
/// days across the whole range of years a date may have; none may trap, and each answer
/// must be sane.
@Suite struct CalendarTotalityTests {
    static func check(_ date: CivilDate) {
        _ = JapaneseHolidays.name(of: date)
        let deadline = DispatchDeadline.standard(for: date)
        #expect(deadline > date)
        let year = FiscalYear(containing: date)
        #expect(year.contains(date))
        _ = year.eraLabel
        _ = JapaneseDateFormat.full(date)
        _ = BusinessCalendar.isOpen(at: LocalDateTime(date: date, time: TimeOfDay(hhmm: "10:00")!))
        _ = BusinessCalendar.closedReason(date)
        #expect(ReportTiming.inferDate(month: date.month, day: date.day, receivedOn: date) == date)
        #expect(CivilDate(dayNumber: date.dayNumber) == date)
    }

    @Test("DEC-13: every day from 1900 to 2199 answers without failing")
    func everyDayOfTheCalendarRange() {
        var date = CivilDate(iso: "1900-01-01")!
        let end = CivilDate(iso: "2199-12-31")!
        var days = 0
        while date <= end {
            Self.check(date)
            date = date.adding(days: 1)
            days += 1
        }
        #expect(days == 109_573)
    }

    @Test("DEC-13: any date a form can carry, year 1 to 9999, answers without failing")
    func datesFarOutside() {
        for iso in ["0001-01-01", "0001-03-31", "1500-01-01", "1899-12-31", "2150-01-01", "5000-06-01", "9999-06-01", "9999-12-20",
                    "9999-12-31", "1949-03-21", "1948-12-31"] {
            Self.check(CivilDate(iso: iso)!)
        }
        for year in stride(from: 1, through: 9999, by: 37) {
            for (month, day) in [(1, 1), (3, 20), (5, 4), (9, 23), (12, 31)] {
                Self.check(CivilDate(year: year, month: month, day: day)!)
            }
        }
        #expect(JapaneseHolidays.holidays(in: 1900).isEmpty)          // before the law of 1948
        #expect(JapaneseHolidays.name(of: CivilDate(iso: "1949-01-01")!) == "元日")
        #expect(CivilDate(year: 0, month: 1, day: 1) == nil && CivilDate(year: 10_000, month: 1, day: 1) == nil)
        // Instants beyond the representable range are brought to its ends instead of trapping.
        #expect(TokyoClock.local(secondsSince1970: .nan).date.iso == "1970-01-01")
        #expect(TokyoClock.local(secondsSince1970: 1e300).date.year == 9999)
        #expect(TokyoClock.local(secondsSince1970: -1e300).date.year == 1)
    }
}
