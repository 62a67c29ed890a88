/// 年度: 1 April to 31 March, named by the calendar year in which it starts.
public struct FiscalYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    public init(containing date: CivilDate) {
        startYear = date.month >= 4 ? date.year : date.year - 1
    }

    public var firstDay: CivilDate { CivilDate(known: startYear, 4, 1) }
    public var lastDay: CivilDate { CivilDate(known: startYear + 1, 3, 31) }

    public func contains(_ date: CivilDate) -> Bool { firstDay <= date && date <= lastDay }

    /// `2019年度`.
    public var label: String { "\(startYear)年度" }

    /// Every era name this fiscal year is known by, the official one first. The era year
    /// is that of the calendar year the fiscal year starts in, and counts only for an era
    /// in force during the year: 2019年度 is 令和元年度 and also 平成31年度, but 1988年度
    /// is only 昭和63年度 (平成 had no year 0).
    public var eraLabels: [String] {
        JapaneseEra.all.enumerated().compactMap { index, era in
            let number = era.yearNumber(ofGregorianYear: startYear)
            let successorStart = index > 0 ? JapaneseEra.all[index - 1].firstDay : nil
            let inForce = era.firstDay <= lastDay && (successorStart.map { $0 > firstDay } ?? true)
            guard number >= 1, inForce else { return nil }
            return "\(era.name)\(JapaneseEra.yearText(number))年度"
        }
    }

    /// `令和元年度`: the official name (the newest era in force during the year).
    public var eraLabel: String { eraLabels.first ?? label }

    public var description: String { label }

    public static func < (lhs: FiscalYear, rhs: FiscalYear) -> Bool { lhs.startYear < rhs.startYear }

    public init(from decoder: Decoder) throws {
        startYear = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(startYear)
    }
}
