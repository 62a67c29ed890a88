/// Japanese eras (元号) from 昭和 on: enough for every date the programme handles.
public struct JapaneseEra: Hashable, Sendable {
    public let name: String
    public let firstDay: CivilDate

    public static let showa = JapaneseEra(name: "昭和", firstDay: CivilDate(known: 1926, 12, 25))
    public static let heisei = JapaneseEra(name: "平成", firstDay: CivilDate(known: 1989, 1, 8))
    public static let reiwa = JapaneseEra(name: "令和", firstDay: CivilDate(known: 2019, 5, 1))

    /// Newest first.
    public static let all: [JapaneseEra] = [.reiwa, .heisei, .showa]

    /// The era in force on `date`, or nil before 昭和.
    public static func era(of date: CivilDate) -> JapaneseEra? {
        all.first { $0.firstDay <= date }
    }

    /// Year number of calendar year `year` in this era (1 for the year it began).
    public func yearNumber(ofGregorianYear year: Int) -> Int { year - firstDay.year + 1 }

    /// `元` for the first year, as it is written.
    public static func yearText(_ number: Int) -> String { number == 1 ? "元" : String(number) }

    /// `令和元年5月1日`.
    public static func format(_ date: CivilDate) -> String? {
        guard let era = era(of: date) else { return nil }
        return "\(era.name)\(yearText(era.yearNumber(ofGregorianYear: date.year)))年\(date.month)月\(date.day)日"
    }
}

/// Dates as people in Japan read them.
public enum JapaneseDateFormat {
    /// `8月21日(水)`.
    public static func monthDayWeekday(_ date: CivilDate) -> String {
        "\(date.month)月\(date.day)日(\(date.weekday.japanese))"
    }

    /// `2019年8月21日`.
    public static func long(_ date: CivilDate) -> String {
        "\(date.year)年\(date.month)月\(date.day)日"
    }

    /// `2019年8月21日(水)`.
    public static func full(_ date: CivilDate) -> String {
        "\(date.year)年\(monthDayWeekday(date))"
    }

    /// `8月21日(水) 10:30`.
    public static func dateTime(_ value: LocalDateTime) -> String {
        "\(monthDayWeekday(value.date)) \(value.time.hhmm)"
    }

    /// `2019/08/21`: what Japanese Excel reads as a date (and office forms print).
    public static func slashed(_ date: CivilDate) -> String { date.iso.replacingOccurrences(of: "-", with: "/") }

    /// `2019/08/21 10:30`.
    public static func slashed(_ value: LocalDateTime) -> String { "\(slashed(value.date)) \(value.time.hhmm)" }

    /// A stored timestamp (`2019-08-21T10:41:05.123+09:00`, the audit log's) as `2019/08/21 10:41:05`;
    /// text that does not read so is returned as it is.
    public static func slashed(stamp text: String) -> String {
        let head = String(text.prefix(19))
        guard head.count == 19, let day = CivilDate(iso: String(head.prefix(10))), head.dropFirst(10).first == "T" else { return text }
        return "\(slashed(day)) \(head.dropFirst(11))"
    }
}
