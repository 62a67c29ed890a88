import Testing
@testable import HakenCore

/// Official lists published by the Cabinet Office (内閣府「国民の祝日について」), 2019–2026.
@Suite struct JapaneseHolidaysTests {
    static let official: [Int: [String]] = [
        2019: ["01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03", "05-04", "05-05", "05-06",
               "07-15", "08-11", "08-12", "09-16", "09-23", "10-14", "10-22", "11-03", "11-04", "11-23"],
        2020: ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-23", "07-24", "08-10", "09-21", "09-22", "11-03", "11-23"],
        2021: ["01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
               "07-22", "07-23", "08-08", "08-09", "09-20", "09-23", "11-03", "11-23"],
        2022: ["01-01", "01-10", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05",
               "07-18", "08-11", "09-19", "09-23", "10-10", "11-03", "11-23"],
        2023: ["01-01", "01-02", "01-09", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05",
               "07-17", "08-11", "09-18", "09-23", "10-09", "11-03", "11-23"],
        2024: ["01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-15", "08-11", "08-12", "09-16", "09-22", "09-23", "10-14", "11-03", "11-04", "11-23"],
        2025: ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"],
        2026: ["01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-20", "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"],
    ]

    @Test(arguments: 2019...2026)
    func matchesTheOfficialList(year: Int) {
        let computed = JapaneseHolidays.list(in: year).map { String($0.date.iso.dropFirst(5)) }
        #expect(computed == Self.official[year])
    }

    @Test func namesTheSpecialDaysOf2019To2021() {
        func name(_ iso: String) -> String? { JapaneseHolidays.name(of: CivilDate(iso: iso)!) }
        #expect(name("2019-04-30") == "国民の休日")
        #expect(name("2019-05-01") == "天皇の即位の日")
        #expect(name("2019-05-02") == "国民の休日")
        #expect(name("2019-10-22") == "即位礼正殿の儀")
        #expect(name("2020-07-23") == "海の日")
        #expect(name("2020-07-24") == "スポーツの日")
        #expect(name("2021-07-22") == "海の日")
        #expect(name("2021-07-23") == "スポーツの日")
        #expect(name("2021-08-09") == "振替休日")
        #expect(name("2019-12-23") == nil)
        #expect(name("2018-12-23") == "天皇誕生日")
        #expect(name("2020-02-23") == "天皇誕生日")
        #expect(name("2020-10-12") == nil)
    }

    @Test func followsTheLawsHistory() {
        func name(_ iso: String) -> String? { JapaneseHolidays.name(of: CivilDate(iso: iso)!) }
        #expect(name("1988-04-29") == "天皇誕生日")
        #expect(name("1989-02-24") == "昭和天皇の大喪の礼")
        #expect(name("1990-11-12") == "即位礼正殿の儀")
        #expect(name("1993-06-09") == "結婚の儀")
        #expect(name("1985-05-04") == nil)            // 国民の休日 exists only from 1985-12-27
        #expect(name("1988-05-04") == "国民の休日")   // the first one
        #expect(name("1995-05-04") == "国民の休日")   // Thursday between 5/3 and 5/5
        #expect(name("1997-05-04") == nil)            // a Sunday: not 国民の休日 before 2007
        #expect(name("1999-01-15") == "成人の日")
        #expect(name("2000-01-10") == "成人の日")
        #expect(name("1995-07-20") == nil)            // 海の日 began in 1996
        #expect(name("1996-07-20") == "海の日")
        #expect(name("2008-05-06") == "振替休日")      // 5/4 Sunday, moved past 5/5 (2007 rule)
        #expect(name("2009-09-22") == "国民の休日")
        #expect(name("2015-05-06") == "振替休日")
        #expect(name("2016-08-11") == "山の日")
    }

    @Test func equinoxApproximationKnownYears() {
        #expect(JapaneseHolidays.vernalEquinoxDay(2019) == 21)
        #expect(JapaneseHolidays.vernalEquinoxDay(2020) == 20)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2012) == 22)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2019) == 23)
        #expect(JapaneseHolidays.autumnalEquinoxDay(2024) == 22)
    }

    @Test func everySupportedYearHasTwelveToTwentyFourDays() {
        for year in JapaneseHolidays.supportedYears {
            let count = JapaneseHolidays.holidays(in: year).count
            #expect((12...24).contains(count), "\(year): \(count)")
        }
    }
}
