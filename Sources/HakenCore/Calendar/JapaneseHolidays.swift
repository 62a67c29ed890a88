/// National holidays of Japan (国民の祝日に関する法律) computed by rule, with the law's
/// history from 1980 on: moved and renamed days, happy-Monday days, the equinoxes,
/// 振替休日, 国民の休日, and a table of one-off days.
public enum JapaneseHolidays {
    /// Years for which the rules here are cross-checked against two other implementations
    /// (`scripts/check_holidays.py`).
    public static let supportedYears = 1980...2099

    /// DEC-13: years answered from a table made once; any other year is computed on demand,
    /// and every year answers without failing.
    public static let tabulatedYears = 1900...2199

    /// 国民の祝日に関する法律 took effect on 1948-07-20; before 1949 there are none by its rules.
    public static let firstYearOfTheLaw = 1949

    /// Holiday name for `date`, or nil on an ordinary day.
    public static func name(of date: CivilDate) -> String? {
        holidays(in: date.year)[date]
    }

    public static func isHoliday(_ date: CivilDate) -> Bool { name(of: date) != nil }

    /// Every holiday of `year`, 振替休日 and 国民の休日 included.
    public static func holidays(in year: Int) -> [CivilDate: String] {
        table[year] ?? compute(year: year)
    }

    /// Deadlines and office hours ask about single days constantly; the supported years are
    /// computed once.
    private static let table: [Int: [CivilDate: String]] = Dictionary(
        uniqueKeysWithValues: tabulatedYears.map { ($0, compute(year: $0)) }
    )

    static func compute(year: Int) -> [CivilDate: String] {
        guard year >= firstYearOfTheLaw, CivilDate.years.contains(year) else { return [:] }
        let statutory = statutoryHolidays(in: year)
        var all = statutory
        addSubstituteHolidays(year: year, statutory: statutory, into: &all)
        addCitizensHolidays(year: year, statutory: statutory, into: &all)
        return all
    }

    /// Sorted list, convenient for printing and cross-checking.
    public static func list(in year: Int) -> [(date: CivilDate, name: String)] {
        holidays(in: year).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    // MARK: - 国民の祝日 (the statutory days)

    static func statutoryHolidays(in y: Int) -> [CivilDate: String] {
        var days: [CivilDate: String] = [:]
        func add(_ month: Int, _ day: Int, _ name: String) {
            if let date = CivilDate(year: y, month: month, day: day) { days[date] = name }
        }
        func addNthMonday(_ month: Int, _ nth: Int, _ name: String) {
            days[nthMonday(year: y, month: month, nth: nth)] = name
        }

        add(1, 1, "元日")
        if y >= 2000 { addNthMonday(1, 2, "成人の日") } else { add(1, 15, "成人の日") }
        if y >= 1967 { add(2, 11, "建国記念の日") }
        if y >= 2020 { add(2, 23, "天皇誕生日") }
        add(3, vernalEquinoxDay(y), "春分の日")
        if y >= 2007 {
            add(4, 29, "昭和の日")
        } else if y >= 1989 {
            add(4, 29, "みどりの日")
        } else {
            add(4, 29, "天皇誕生日")
        }
        add(5, 3, "憲法記念日")
        if y >= 2007 { add(5, 4, "みどりの日") }
        add(5, 5, "こどもの日")
        switch y {
        case 2020: add(7, 23, "海の日")
        case 2021: add(7, 22, "海の日")
        case 2003...: addNthMonday(7, 3, "海の日")
        case 1996...: add(7, 20, "海の日")
        default: break
        }
        switch y {
        case 2020: add(8, 10, "山の日")
        case 2021: add(8, 8, "山の日")
        case 2016...: add(8, 11, "山の日")
        default: break
        }
        if y >= 2003 { addNthMonday(9, 3, "敬老の日") } else { add(9, 15, "敬老の日") }
        add(9, autumnalEquinoxDay(y), "秋分の日")
        switch y {
        case 2020: add(7, 24, "スポーツの日")
        case 2021: add(7, 23, "スポーツの日")
        case 2022...: addNthMonday(10, 2, "スポーツの日")
        case 2000...: addNthMonday(10, 2, y >= 2020 ? "スポーツの日" : "体育の日")
        default: add(10, 10, "体育の日")
        }
        add(11, 3, "文化の日")
        add(11, 23, "勤労感謝の日")
        if (1989...2018).contains(y) { add(12, 23, "天皇誕生日") }

        for oneOff in oneOffHolidays where oneOff.date.year == y {
            days[oneOff.date] = oneOff.name
        }
        return days
    }

    /// Days made holidays by their own laws, not by the annual rules.
    public static let oneOffHolidays: [(date: CivilDate, name: String)] = [
        (CivilDate(known: 1989, 2, 24), "昭和天皇の大喪の礼"),
        (CivilDate(known: 1990, 11, 12), "即位礼正殿の儀"),
        (CivilDate(known: 1993, 6, 9), "結婚の儀"),
        (CivilDate(known: 2019, 5, 1), "天皇の即位の日"),
        (CivilDate(known: 2019, 10, 22), "即位礼正殿の儀"),
    ]

    // MARK: - 振替休日 and 国民の休日

    /// 振替休日: a holiday on a Sunday moves the rest day forward. Until 2006 only to the
    /// Monday; from 2007 to the first following day that is not itself a holiday.
    static func addSubstituteHolidays(year: Int, statutory: [CivilDate: String], into all: inout [CivilDate: String]) {
        // A Sunday holiday on 31 Dec of the previous year cannot occur (31 Dec is no holiday),
        // so looking at this year's days is enough.
        for date in statutory.keys.sorted() where date.weekday == .sunday {
            var next = date.adding(days: 1)
            if year >= 2007 {
                while statutory[next] != nil { next = next.adding(days: 1) }
            } else if statutory[next] != nil {
                continue
            }
            if next.year == year { all[next] = "振替休日" }
        }
    }

    /// 国民の休日 (from 1986): an ordinary day between two statutory holidays. Until 2006 the
    /// law excluded Sundays (and days already off as 振替休日).
    static func addCitizensHolidays(year: Int, statutory: [CivilDate: String], into all: inout [CivilDate: String]) {
        guard year >= 1986 else { return }
        for date in statutory.keys.sorted() {
            let middle = date.adding(days: 1)
            guard middle.year == year, statutory[middle] == nil, statutory[middle.adding(days: 1)] != nil else { continue }
            if year < 2007 && (middle.weekday == .sunday || all[middle] != nil) { continue }
            if all[middle] == nil { all[middle] = "国民の休日" }
        }
    }

    // MARK: - Helpers

    static func nthMonday(year: Int, month: Int, nth: Int) -> CivilDate {
        let first = CivilDate(known: year, month, 1)
        let offset = (Weekday.monday.rawValue - first.weekday.rawValue + 7) % 7
        return first.adding(days: offset + 7 * (nth - 1))
    }

    /// 春分日 by the usual astronomical approximation (its constants for 1900–1979, 1980–2099
    /// and 2100–2150); beyond, the nearest range's constants, kept within 19–22 March.
    public static func vernalEquinoxDay(_ year: Int) -> Int {
        let base = year < 1980 ? 20.8357 : (year <= 2099 ? 20.8431 : 21.8510)
        return min(max(equinoxDay(year: year, base: base), 19), 22)
    }

    /// 秋分日 by the same approximation, kept within 21–25 September.
    public static func autumnalEquinoxDay(_ year: Int) -> Int {
        let base = year < 1980 ? 23.2588 : (year <= 2099 ? 23.2488 : 24.2488)
        return min(max(equinoxDay(year: year, base: base), 21), 25)
    }

    private static func equinoxDay(year: Int, base: Double) -> Int {
        // Years far outside the formula's range would only drift; bounded, the arithmetic is exact.
        let elapsed = min(max(year, 1000), 3000) - 1980
        let quarters = elapsed >= 0 ? elapsed / 4 : -((-elapsed + 3) / 4)   // floor, as the formula means
        return Int(base + 0.242194 * Double(elapsed)) - quarters
    }
}
