/// A wall-clock time in Asia/Tokyo (DEC-1), minute precision as the reports are written.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    public var minutesSinceMidnight: Int { hour * 60 + minute }

    public static let midnight = TimeOfDay(known: 0, 0)

    /// For times the code computes within a day (hour 0…23, minute 0…59).
    init(known hour: Int, _ minute: Int) {
        self.hour = hour
        self.minute = minute
    }

    /// Nil outside 0…1439: a time that would fall on another day.
    public init?(minutesSinceMidnight minutes: Int) {
        guard (0..<1440).contains(minutes) else { return nil }
        self.init(hour: minutes / 60, minute: minutes % 60)
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }

    /// `HH:MM` strictly (24-hour, two digits each): the API's time format.
    public init?(hhmm: String) {
        let parts = hhmm.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(hour: h, minute: m)
    }

    public var hhmm: String { "\(pad(hour, 2)):\(pad(minute, 2))" }
    public var description: String { hhmm }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = TimeOfDay(hhmm: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an HH:MM time: \(text)"))
        }
        self = time
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hhmm)
    }
}

/// A date and time on the Tokyo wall clock.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: CivilDate
    public let time: TimeOfDay

    public init(date: CivilDate, time: TimeOfDay) {
        self.date = date
        self.time = time
    }

    /// Minutes since 1970-01-01 00:00 on the same wall clock; differences are exact because
    /// Japan has had no daylight saving time since 1951.
    public var minuteNumber: Int { date.dayNumber * 1440 + time.minutesSinceMidnight }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool { lhs.minuteNumber < rhs.minuteNumber }

    public var description: String { "\(date.iso) \(time.hhmm)" }

    /// "2019-08-21T10:32", as stored and audited (a photo's EXIF time, #12).
    public var isoMinute: String { "\(date.iso)T\(time.hhmm)" }

    public init?(isoMinute text: String) {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2, let date = CivilDate(iso: String(parts[0])), let time = TimeOfDay(hhmm: String(parts[1])) else { return nil }
        self.init(date: date, time: time)
    }
}

/// Conversion between instants and the Tokyo wall clock (DEC-1: every rule time is Asia/Tokyo).
public enum TokyoClock {
    public static let offsetSeconds = 9 * 3600

    /// The wall-clock minute in Tokyo at `secondsSince1970` (seconds are dropped, not rounded).
    /// The instants the conversion answers for (Tokyo years 1 to 9999); anything else, NaN included,
    /// is brought to the nearest end instead of trapping.
    public static let secondsRange: ClosedRange<Double> = -62_135_596_800...253_402_268_399

    public static func local(secondsSince1970: Double) -> LocalDateTime {
        let seconds = secondsSince1970.isNaN ? 0 : min(max(secondsSince1970, secondsRange.lowerBound), secondsRange.upperBound)
        let shifted = Int((seconds + Double(offsetSeconds)).rounded(.down))
        let days = shifted >= 0 ? shifted / 86_400 : (shifted - 86_399) / 86_400
        let secondOfDay = shifted - days * 86_400
        return LocalDateTime(
            date: CivilDate(dayNumber: days),
            time: TimeOfDay(known: secondOfDay / 3600, (secondOfDay % 3600) / 60)
        )
    }

    public static func secondsSince1970(_ local: LocalDateTime) -> Double {
        Double(local.minuteNumber * 60 - offsetSeconds)
    }
}
