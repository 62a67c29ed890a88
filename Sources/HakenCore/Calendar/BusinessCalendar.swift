/// The secretariat's working calendar (NOTE-4): open 9:00–17:00, closed on Saturdays,
/// Sundays, national holidays and the year-end/new-year days 12/29–1/3.
public enum BusinessCalendar {
    public static let opening = TimeOfDay(known: 9, 0)
    public static let closing = TimeOfDay(known: 17, 0)

    public static func isYearEndBreak(_ date: CivilDate) -> Bool {
        (date.month == 12 && date.day >= 29) || (date.month == 1 && date.day <= 3)
    }

    /// Why the office is closed on `date`, or nil on a business day.
    public static func closedReason(_ date: CivilDate) -> String? {
        if let holiday = JapaneseHolidays.name(of: date) { return holiday }
        if isYearEndBreak(date) { return "年末年始" }
        switch date.weekday {
        case .saturday: return "土曜日"
        case .sunday: return "日曜日"
        default: return nil
        }
    }

    public static func isBusinessDay(_ date: CivilDate) -> Bool { closedReason(date) == nil }

    /// NOTE-4: whether the secretariat answers at this moment (17:00 itself is closed).
    public static func isOpen(at moment: LocalDateTime) -> Bool {
        isBusinessDay(moment.date) && opening <= moment.time && moment.time < closing
    }

    /// The next moment the secretariat opens at or after `moment`.
    public static func nextOpening(atOrAfter moment: LocalDateTime) -> LocalDateTime {
        if isOpen(at: moment) { return moment }
        var date = moment.date
        if !(isBusinessDay(date) && moment.time < opening) {
            date = nextBusinessDay(after: date)
        }
        return LocalDateTime(date: date, time: opening)
    }

    public static func nextBusinessDay(after date: CivilDate) -> CivilDate {
        var next = date.adding(days: 1)
        while !isBusinessDay(next) { next = next.adding(days: 1) }
        return next
    }

    /// The date `count` business days after `date` (count ≥ 0; 0 gives `date` itself).
    /// Deadlines are counted this way, so a deadline never falls on a closed day.
    public static func adding(businessDays count: Int, to date: CivilDate) -> CivilDate {
        precondition(count >= 0, "business days are counted forward")
        var current = date
        for _ in 0..<count { current = nextBusinessDay(after: current) }
        return current
    }

    /// Business days in the half-open range (from, to]: how many working days have passed.
    public static func businessDays(from start: CivilDate, to end: CivilDate) -> Int {
        guard start < end else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isBusinessDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }
}
