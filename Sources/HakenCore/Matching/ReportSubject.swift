/// What a report subject says (DAY-1, DAY-2, DAY-6): business and expert as typed, the
/// month and day, and one time (a time report) or a start and an end (a period: the photo
/// mail). Read by `ReportSubjectReader` in HakenMail; decided on here.
public struct ReportSubject: Equatable, Sendable {
    public enum Kind: String, Sendable { case time, period }

    public var business: String
    public var expert: String
    public var month: Int
    public var day: Int
    /// The time of a time report, or the start of a period.
    public var time: TimeOfDay
    /// The end of a period; nil for a time report.
    public var end: TimeOfDay?

    public init(business: String, expert: String, month: Int, day: Int, time: TimeOfDay, end: TimeOfDay? = nil) {
        self.business = business
        self.expert = expert
        self.month = month
        self.day = day
        self.time = time
        self.end = end
    }

    public var kind: Kind { end == nil ? .time : .period }
}

/// Why a subject is not a report. The raw values are the codes `hakendesk mail inspect`
/// prints among a message's problems.
public enum ReportSubjectProblem: String, Sendable, Equatable, CaseIterable {
    case notAReport = "not-a-report"
    case invalidDate = "report-invalid-date"
    case invalidTime = "report-invalid-time"
    case missingTime = "report-missing-time"
    case missingSubject = "missing-subject"

    /// What the sender is told (DEC-9).
    public var japaneseReason: String {
        switch self {
        case .notAReport: return "件名が報告の形式（\(ReceiptText.timeFormat)）ではありません。"
        case .invalidDate: return "件名の日付が存在しない日付です。"
        case .invalidTime: return "件名の時刻が正しくありません（24時間制で 10:30 のように書いてください）。"
        case .missingTime: return "件名に時刻がありません。"
        case .missingSubject: return "件名がありません。"
        }
    }
}

/// A subject as the decision sees it.
public enum SubjectReading: Equatable, Sendable {
    case report(ReportSubject)
    case problem(ReportSubjectProblem)

    public var report: ReportSubject? {
        if case .report(let report) = self { return report }
        return nil
    }
}
