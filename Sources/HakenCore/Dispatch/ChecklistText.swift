/// A dispatch's checklist in plain Japanese for the people who owe it (NOTE-1, NOTE-2): what
/// each duty is, whether it is done, by when, and what happens if it is not.
public enum ChecklistText {
    public struct Line: Equatable, Sendable, Encodable {
        public var kind: String
        public var what: String
        /// Who owes it: 事業者 / 専門家.
        public var who: String
        public var status: String
        /// `done`, `wait` (with the secretariat) or `owed`.
        public var tone: String
        public var byWhen: String
        public var ifNot: String
    }

    public static func lines(schedule: DispatchSchedule, evidence: EvidenceChecklist, assessment: DispatchAssessment,
                             deadline: CivilDate) -> [Line] {
        let day = "\(schedule.date.month)月\(schedule.date.day)日"
        let deadlineText = JapaneseDateFormat.monthDayWeekday(deadline)
        func window(_ time: TimeOfDay) -> String {
            let from = TimeOfDay(minutesSinceMidnight: max(0, time.minutesSinceMidnight - ReportTiming.windowMinutes))?.hhmm ?? time.hhmm
            let to = TimeOfDay(minutesSinceMidnight: min(1439, time.minutesSinceMidnight + ReportTiming.windowMinutes))?.hhmm ?? time.hhmm
            return "\(day) \(from)〜\(to) に報告メール"
        }
        var kinds: [EvidenceKind] = [.startReport, .endReport, .photo, .photoConsent]
        if assessment.declarationRequired || evidence.status(.declaration) != .missing { kinds.append(.declaration) }
        kinds += [.expertReport, .certification]
        return kinds.map { kind in
            let status = evidence.status(kind)
            // DAY-5: a photo received but not yet looked at waits with the secretariat.
            let waitsForCheck = status == .accepted && evidence[kind].unchecked
            let tone = waitsForCheck ? "wait" : Self.tone(kind, status)
            let byWhen: String
            let ifNot: String
            let who: String
            switch kind {
            case .startReport:
                who = "事業者"; byWhen = window(schedule.start)
                ifNot = "報告がない・時間外の場合は、支援実施申告書（ご担当者・専門家・支援機関の記名押印）が必要です。"
            case .endReport:
                who = "事業者"; byWhen = window(schedule.end)
                ifNot = "報告がない・時間外の場合は、支援実施申告書（ご担当者・専門家・支援機関の記名押印）が必要です。"
            case .photo:
                who = "事業者"; byWhen = "支援後すみやかに（従事証明の入力より前）"
                ifNot = "写真が届くまで従事証明を入力できません。撮影できなかった場合は支援実施申告書が必要です。"
            case .photoConsent:
                who = "事業者"; byWhen = "年度に1回（\(FiscalYear(containing: schedule.date).label)分）"
                ifNot = "同意書がないと、写真を報告に使えません。支援機関から提出することもできます。"
            case .declaration:
                who = "事業者"; byWhen = "\(deadlineText)まで"
                ifNot = "報告・写真の不足を補えず、事業対象外となります。"
            case .expertReport:
                who = "専門家"; byWhen = "支援後すみやかに"
                ifNot = "報告が出るまで、事業者は従事証明を入力できず、謝金・旅費も支払えません。"
            case .certification:
                who = "事業者"; byWhen = "専門家の報告後、\(deadlineText)まで"
                ifNot = "従事証明がないと、専門家の謝金・旅費を支払えません。"
            }
            return Line(kind: kind.rawValue, what: kind.japaneseName, who: who, status: waitsForCheck ? "受信（事務局で確認中）" : status.japaneseName, tone: tone, byWhen: byWhen, ifNot: ifNot)
        }
    }

    /// How an item reads at a glance: `done`, `wait` (with the secretariat) or `owed`. A late
    /// report or photo still owes a declaration (DAY-4, DAY-7); a late later duty is done.
    public static func tone(_ kind: EvidenceKind, _ status: EvidenceStatus) -> String {
        switch status {
        case .accepted, .waived: return "done"
        case .review: return "wait"
        case .late where kind == .photoConsent || kind == .expertReport || kind == .certification: return "done"
        case .missing, .late, .rejected: return "owed"
        }
    }

    /// NOTE-2, said once above the list.
    public static func deadlineNote(_ deadline: CivilDate, state: DispatchState) -> String? {
        switch state {
        case .complete: return "すべて揃いました。専門家への謝金・旅費を支払います。"
        case .cancelled: return "この派遣は取り消されました。"
        case .outsideProgramme: return "期限までに必要な手続きが済まなかったため、事業対象外となりました。費用をご負担いただく場合があります。"
        case .outsideProposed:
            return "\(JapaneseDateFormat.monthDayWeekday(deadline))の期限までに必要な手続きが済んでいません。事務局が確認のうえ、事業対象外とするかどうかを決めます。"
        default:
            return "\(JapaneseDateFormat.monthDayWeekday(deadline))までにすべて済まないと事業対象外となり、費用をご負担いただく場合があります。遅れると専門家への謝金・旅費の支払いも遅れます。"
        }
    }
}
