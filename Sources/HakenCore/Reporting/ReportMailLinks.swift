/// The "today" page's buttons (DAY-1, DAY-2, DAY-6): each opens the phone's mail app with the
/// secretariat's address and the subject already written, so the business types nothing.
public enum ReportMailLinks {
    /// DAY-1/DAY-2: `ばそな建設/専門家次郎/8月21日 10:30`.
    public static func timeSubject(business: String, expert: String, date: CivilDate, time: TimeOfDay) -> String {
        "\(business)/\(expert)/\(date.month)月\(date.day)日 \(time.hhmm)"
    }

    /// DAY-6: `ばそな建設/専門家次郎/8月21日(水)10:30~15:00`.
    public static func photoSubject(business: String, expert: String, schedule: DispatchSchedule) -> String {
        "\(business)/\(expert)/\(JapaneseDateFormat.monthDayWeekday(schedule.date))\(schedule.start.hhmm)~\(schedule.end.hhmm)"
    }

    /// RFC 6068: `mailto:addr?subject=…`, the subject UTF-8 and percent-encoded (every byte
    /// but the unreserved characters; a space is %20, never `+`).
    public static func mailto(to address: String, subject: String) -> String {
        "mailto:\(percentEncoded(address, keeping: "@"))?subject=\(percentEncoded(subject, keeping: ""))"
    }

    static func percentEncoded(_ text: String, keeping extra: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        let kept = Set(extra.utf8)
        for byte in text.utf8 {
            let unreserved = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if unreserved || kept.contains(byte) {
                out.append(byte)
            } else {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where the ±20-minute window of a report stands at `now` (the page's countdown).
    public enum Window: Equatable, Sendable {
        /// Opens in this many minutes.
        case opensIn(minutes: Int)
        /// Open; closes in this many minutes.
        case open(closesIn: Int)
        /// Closed this many minutes ago.
        case closed(minutesAgo: Int)
    }

    public static func window(for scheduled: LocalDateTime, now: LocalDateTime) -> Window {
        let opens = scheduled.minuteNumber - ReportTiming.windowMinutes
        let closes = scheduled.minuteNumber + ReportTiming.windowMinutes
        if now.minuteNumber < opens { return .opensIn(minutes: opens - now.minuteNumber) }
        if now.minuteNumber <= closes { return .open(closesIn: closes - now.minuteNumber) }
        return .closed(minutesAgo: now.minuteNumber - closes)
    }
}
