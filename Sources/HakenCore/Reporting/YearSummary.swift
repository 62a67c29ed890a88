/// The fiscal year at a glance (#11): dispatches by state, by institution and by month,
/// the items still outstanding by kind, and how many days it took from the support to
/// payable. Pure: the shell feeds every dispatch of the year.
public struct YearSummary: Equatable, Sendable {
    public struct Count: Equatable, Sendable {
        public var label: String
        public var count: Int
        /// For institutions: how many of them are payable.
        public var complete: Int
    }

    public var year: FiscalYear
    public var total: Int
    public var byState: [Count]
    public var byInstitution: [Count]
    /// April first, March last.
    public var byMonth: [Count]
    public var outstanding: [Count]
    /// Days from the support to payable, in buckets, for complete dispatches.
    public var daysToPayable: [Count]
    public var medianDaysToPayable: Int?

    public struct Item: Sendable {
        public var facts: DispatchFacts
        public var institution: String

        public init(facts: DispatchFacts, institution: String) {
            self.facts = facts
            self.institution = institution
        }
    }

    static let buckets: [(label: String, range: ClosedRange<Int>)] = [
        ("0〜10日", 0...10), ("11〜20日", 11...20), ("21〜30日", 21...30), ("31〜60日", 31...60), ("61日以上", 61...Int.max),
    ]

    public init(year: FiscalYear, items: [Item], today: CivilDate) {
        self.year = year
        var states: [DispatchState: Int] = [:]
        var institutions: [String: (Int, Int)] = [:]
        var months = [Int](repeating: 0, count: 12)
        var outstanding: [EvidenceKind: Int] = [:]
        var days: [Int] = []
        var total = 0
        for item in items where year.contains(item.facts.date) {
            total += 1
            let assessment = DispatchRules.assess(item.facts, today: today)
            states[assessment.state, default: 0] += 1
            let complete = assessment.state == .complete
            institutions[item.institution, default: (0, 0)].0 += 1
            if complete { institutions[item.institution, default: (0, 0)].1 += 1 }
            months[(item.facts.date.month + 8) % 12] += 1   // April → 0 … March → 11
            if assessment.state != .cancelled && assessment.state != .scheduled {
                for kind in assessment.outstanding { outstanding[kind, default: 0] += 1 }
            }
            if complete, let done = Self.completedOn(item.facts) { days.append(max(0, done - item.facts.date)) }
        }
        self.total = total
        byState = DispatchState.allCases.compactMap { state in states[state].map { Count(label: state.japaneseName, count: $0, complete: 0) } }
        byInstitution = institutions.sorted { $0.value.0 != $1.value.0 ? $0.value.0 > $1.value.0 : $0.key < $1.key }
            .map { Count(label: $0.key, count: $0.value.0, complete: $0.value.1) }
        byMonth = (0..<12).map { index in Count(label: "\((index + 3) % 12 + 1)月", count: months[index], complete: 0) }
        self.outstanding = EvidenceKind.allCases.compactMap { kind in outstanding[kind].map { Count(label: kind.japaneseName, count: $0, complete: 0) } }
        daysToPayable = Self.buckets.map { bucket in Count(label: bucket.label, count: days.filter { bucket.range.contains($0) }.count, complete: 0) }
        let sorted = days.sorted()
        medianDaysToPayable = sorted.isEmpty ? nil : sorted[sorted.count / 2]
    }

    /// The day the last item that made it complete arrived.
    static func completedOn(_ facts: DispatchFacts) -> CivilDate? {
        EvidenceKind.allCases.compactMap { facts.evidence[$0].receivedAt?.date }.max()
    }
}
