/// DEC-13: the fiscal years the programme runs in. A dispatch or consultation dated outside
/// them is refused with a clear message (the calendar itself answers for any date).
public struct ProgrammePeriod: Sendable, Equatable {
    public var first: FiscalYear
    public var last: FiscalYear

    public static let defaultFirstYear = 2019

    public init(first: FiscalYear, last: FiscalYear) {
        self.first = first
        self.last = max(first, last)
    }

    /// From `firstYear` (default 2019年度) to `lastYear` (default: the fiscal year after today's).
    public static func standard(today: CivilDate, firstYear: Int? = nil, lastYear: Int? = nil) -> ProgrammePeriod {
        ProgrammePeriod(first: FiscalYear(startYear: firstYear ?? defaultFirstYear),
                        last: FiscalYear(startYear: lastYear ?? FiscalYear(containing: today).startYear + 1))
    }

    public func contains(_ date: CivilDate) -> Bool { first.firstDay <= date && date <= last.lastDay }

    /// `支援日は2019年度（2019年4月1日）から2027年度（2028年3月31日）までの日付で入力してください。`
    public func refusal(label: String) -> String {
        "\(label)は\(first.label)（\(JapaneseDateFormat.long(first.firstDay))）から\(last.label)（\(JapaneseDateFormat.long(last.lastDay))）までの日付で入力してください。"
    }
}
