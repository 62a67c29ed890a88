/// The time rules of the day's reports: the ±20-minute window (DAY-1, DAY-2, DEC-1, DEC-2),
/// the year of a subject's month and day (DEC-3), and start or end (DEC-5).
public enum ReportTiming {
    /// DAY-1/DAY-2: a report must arrive within this many minutes of the time it reports.
    public static let windowMinutes = 20

    public enum Punctuality: Equatable, Sendable {
        case onTime
        /// Received outside the window; `minutes` is receipt minus written time (negative: early).
        case outsideWindow(minutes: Int)
    }

    /// DEC-2: compares the receipt time with the time written in the subject, both on the
    /// Tokyo wall clock (DEC-1). Exactly 20 minutes either way is still on time.
    public static func punctuality(written: LocalDateTime, received: LocalDateTime) -> Punctuality {
        let difference = received.minuteNumber - written.minuteNumber
        return abs(difference) <= windowMinutes ? .onTime : .outsideWindow(minutes: difference)
    }

    /// DEC-3: the subject gives month and day only; take the year that puts that date
    /// nearest the receipt date. Nil when the day exists in none of the candidate years
    /// (2月30日), never a guess.
    public static func inferDate(month: Int, day: Int, receivedOn: CivilDate) -> CivilDate? {
        let candidates = [receivedOn.year - 1, receivedOn.year, receivedOn.year + 1]
            .compactMap { CivilDate(year: $0, month: month, day: day) }
        return candidates.min { abs($0 - receivedOn) < abs($1 - receivedOn) }
    }

    public enum Role: String, Sendable, Equatable {
        case start, end
    }

    /// DEC-5: the written time decides. Nearer the scheduled start than the scheduled end:
    /// the start report; nearer the end: the end report (the start then stays missing).
    /// Equally near, or no schedule time: the start when no start is recorded yet, else the end.
    public static func role(written: TimeOfDay, scheduledStart: TimeOfDay?, scheduledEnd: TimeOfDay?, startRecorded: Bool) -> Role {
        if let scheduledStart, let scheduledEnd {
            let toStart = abs(written.minutesSinceMidnight - scheduledStart.minutesSinceMidnight)
            let toEnd = abs(written.minutesSinceMidnight - scheduledEnd.minutesSinceMidnight)
            if toStart < toEnd { return .start }
            if toEnd < toStart { return .end }
        }
        return startRecorded ? .end : .start
    }

    /// DEC-2: a written time that differs from the schedule is accepted but flagged for
    /// review. Returns the difference in minutes (written minus scheduled), nil when equal.
    public static func scheduleDiscrepancy(written: TimeOfDay, scheduled: TimeOfDay) -> Int? {
        let difference = written.minutesSinceMidnight - scheduled.minutesSinceMidnight
        return difference == 0 ? nil : difference
    }
}
