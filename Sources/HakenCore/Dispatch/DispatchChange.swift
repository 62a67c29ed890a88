/// CON-5: the institution reschedules or cancels a dispatch, with a reason; the business and
/// the expert are told. Once the day's reports have started to arrive the schedule is what
/// they are checked against, so it no longer moves; a finished or cancelled one stays as it is.
public enum DispatchChange {
    public enum Refusal: Equatable, Sendable {
        case cancelled
        case complete
        /// A time report or the photo has arrived: the schedule is evidence now.
        case reportsArrived
        /// The day has passed.
        case dayPassed

        public var message: String {
            switch self {
            case .cancelled: return "この派遣は取り消されています。"
            case .complete: return "この派遣は完了しています。"
            case .reportsArrived: return "当日の報告が届いているため、日程は変更できません。実施した内容と異なる場合は事務局にご連絡ください。"
            case .dayPassed: return "支援日を過ぎた派遣の日程は変更できません。事務局にご連絡ください。"
            }
        }
    }

    public static func rescheduleRefusal(_ facts: DispatchFacts, today: CivilDate) -> Refusal? {
        if facts.cancelled { return .cancelled }
        if [EvidenceKind.startReport, .endReport, .photo].contains(where: { facts.evidence.status($0) != .missing }) { return .reportsArrived }
        if today > facts.date { return .dayPassed }
        return nil
    }

    public static func cancelRefusal(_ facts: DispatchFacts, today: CivilDate) -> Refusal? {
        if facts.cancelled { return .cancelled }
        if DispatchRules.assess(facts, today: today).state == .complete { return .complete }
        return nil
    }
}
