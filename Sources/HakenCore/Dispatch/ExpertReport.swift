/// AFT-2: the expert's report after the support (専門家の支援報告): when it really started and
/// ended, what was done, what comes next, and the travel expenses claimed. Filing it sends
/// the business the certification link.
public struct ExpertReport: Equatable, Sendable {
    public var actualStart: TimeOfDay
    public var actualEnd: TimeOfDay
    public var work: String
    public var nextSteps: String?
    public var travelExpensesYen: Int

    public init(actualStart: TimeOfDay, actualEnd: TimeOfDay, work: String, nextSteps: String?, travelExpensesYen: Int) {
        self.actualStart = actualStart; self.actualEnd = actualEnd; self.work = work
        self.nextSteps = nextSteps; self.travelExpensesYen = travelExpensesYen
    }

    /// Far above any one day's travel, far inside Int.
    public static let maximumTravelExpensesYen = 1_000_000

    public struct Input: Codable, Sendable {
        public var actualStart: String?
        public var actualEnd: String?
        public var work: String?
        public var nextSteps: String?
        public var travelExpenses: String?
        public init(actualStart: String?, actualEnd: String?, work: String?, nextSteps: String?, travelExpenses: String?) {
            self.actualStart = actualStart; self.actualEnd = actualEnd; self.work = work
            self.nextSteps = nextSteps; self.travelExpenses = travelExpenses
        }
    }

    public static func validate(_ input: Input) throws(ValidationFailure) -> ExpertReport {
        var check = FieldChecker()
        let start = check.time(input.actualStart, field: "actualStart", label: "実際の開始時刻")
        let end = check.time(input.actualEnd, field: "actualEnd", label: "実際の終了時刻")
        if let start, let end, end <= start {
            check.add(FieldError(field: "actualEnd", code: "end_before_start", message: "実際の終了時刻は開始時刻より後にしてください。"))
        }
        let work = check.required(input.work, field: "work", label: "支援内容", maxLength: 4000)
        let next = check.optional(input.nextSteps, field: "nextSteps", label: "今後の課題・次の支援", maxLength: 4000)
        let travel = check.integer(input.travelExpenses, field: "travelExpenses", label: "旅費", range: 0...maximumTravelExpensesYen, unit: "円") ?? 0
        try check.finish()
        guard let start, let end else { throw ValidationFailure([.required("actualStart", label: "実際の開始時刻")]) }
        return ExpertReport(actualStart: start, actualEnd: end, work: work, nextSteps: next, travelExpensesYen: travel)
    }
}
