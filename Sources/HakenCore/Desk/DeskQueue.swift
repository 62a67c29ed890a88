/// The secretariat's queues (#11): what waits for a person, each a list with a count. Which
/// rows belong to which queue is `MailInbox`'s SQL; the names and the order are here.
public enum DeskQueue: String, CaseIterable, Sendable, Codable {
    /// DEC-8: received mail that matches nothing.
    case unmatched
    /// DEC-7: time reports and photos from an address that is not the business's.
    case unknownSender
    /// DEC-2: a written time that differs from the schedule.
    case scheduleDiscrepancy
    /// DAY-1/DAY-2: a time report outside ±20 minutes (a declaration follows unless a person accepts it).
    case late
    /// DEC-4: the subject's business name is not the registered one.
    case nameMismatch
    /// DEC-6: reports from an expert's or institution's address.
    case refused
    /// #12: nothing vouches for the From domain (DKIM, SPF, DMARC), or the check did not finish.
    case authenticationFailed
    /// DAY-5: photos nobody has looked at yet.
    case photos
    /// AFT-1: photo consents to check (the register).
    case consents
    /// AFT-2/DEC-2: the business disputed the expert's times at certification.
    case disputes
    /// DAY-4/DAY-7: declaration PDFs that arrived by mail, to record on their dispatch.
    case declarations
    /// NOTE-1: duties past their deadline (the scheduler's escalations).
    case overdue
    /// NOTE-2: final deadline passed with duties undone: confirm outside the programme, or extend.
    case outsideProposed
    /// #12, DEC-2: what a dispatch's reports say against each other (`CrossCheck`).
    case discrepancies

    public var japaneseName: String {
        switch self {
        case .unmatched: return "未照合のメール"
        case .unknownSender: return "登録外アドレスからの報告"
        case .scheduleDiscrepancy: return "予定と異なる報告時刻"
        case .late: return "時間外の報告"
        case .nameMismatch: return "事業者名の不一致"
        case .refused: return "専門家・支援機関からの報告"
        case .authenticationFailed: return "送信元認証の失敗"
        case .photos: return "支援状況写真の確認"
        case .consents: return "写真提出の同意書"
        case .disputes: return "従事証明の異議"
        case .declarations: return "申告書（メール受信分）"
        case .overdue: return "期限を過ぎた手続き"
        case .outsideProposed: return "事業対象外の確認待ち"
        case .discrepancies: return "報告の食い違い"
        }
    }

    /// Queues of received mail (the rest are lists of dispatches' items).
    public var isMailQueue: Bool {
        switch self {
        case .photos, .consents, .disputes, .overdue, .outsideProposed, .discrepancies: return false
        default: return true
        }
    }

    /// The review flag that puts a mail on this queue, if it is one.
    public var flag: ReviewFlag? {
        switch self {
        case .unknownSender: return .unknownSender
        case .scheduleDiscrepancy: return .scheduleDiscrepancy
        case .nameMismatch: return .nameMismatch
        case .authenticationFailed: return .authenticationFailed
        case .declarations: return .declaration
        default: return nil
        }
    }
}

extension DeskQueue {
    /// The mail queues a mail waits in once processed (until a person decides it): by its
    /// status, its review flags, and whether a time report it carried was late (DAY-1/DAY-2).
    /// A consent candidate waits in the consent register instead.
    public static func queues(status: MailStatus, flags: [ReviewFlag], lateReport: Bool) -> [DeskQueue] {
        switch status {
        case .unmatched: return [.unmatched]
        case .refused: return [.refused]
        case .matched, .review:
            var queues = DeskQueue.allCases.filter { queue in queue.flag.map(flags.contains) ?? false }
            if lateReport { queues.append(.late) }
            return queues
        case .queued, .machine, .rejected, .dismissed: return []
        }
    }
}
