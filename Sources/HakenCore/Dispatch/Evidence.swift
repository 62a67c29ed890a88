/// One item of a dispatch's evidence checklist (NOTE-1: the business's duties, plus the
/// expert's report).
public enum EvidenceKind: String, Codable, Sendable, CaseIterable {
    /// DAY-1
    case startReport
    /// DAY-2
    case endReport
    /// DAY-5/DAY-6
    case photo
    /// AFT-1: once per fiscal year per business; shared by that year's dispatches.
    case photoConsent
    /// DAY-4/DAY-7: replaces a missing or late report or photo.
    case declaration
    /// AFT-2: filed by the expert; triggers the certification link.
    case expertReport
    /// AFT-2: the business's work certification together with its evaluation of the expert.
    case certification

    public var japaneseName: String {
        switch self {
        case .startReport: return "支援開始時刻の報告"
        case .endReport: return "支援終了時刻の報告"
        case .photo: return "支援状況写真"
        case .photoConsent: return "写真提出の同意書"
        case .declaration: return "支援実施申告書兼再発防止誓約書"
        case .expertReport: return "専門家の報告"
        case .certification: return "従事証明・専門家評価"
        }
    }
}

public enum EvidenceStatus: String, Codable, Sendable, CaseIterable {
    /// Nothing received yet.
    case missing
    /// Received and good.
    case accepted
    /// Received, but outside its time limit (a time report outside ±20 minutes, a photo
    /// after the certification, …).
    case late
    /// Received, waiting for a person at the secretariat to decide (DEC-6, DEC-7, discrepancies).
    case review
    /// Received and refused: it does not count.
    case rejected
    /// Not required for this dispatch, by a recorded decision of the secretariat.
    case waived

    public var japaneseName: String {
        switch self {
        case .missing: return "未提出"
        case .accepted: return "受理"
        case .late: return "期限外"
        case .review: return "確認中"
        case .rejected: return "不受理"
        case .waived: return "免除"
        }
    }
}

public struct EvidenceItem: Equatable, Sendable {
    public var status: EvidenceStatus
    /// The Tokyo day it was received (for deadlines and AFT-3's order).
    public var receivedAt: LocalDateTime?
    /// DAY-5: a photo nobody at the secretariat has looked at yet. Whether the consulted person
    /// and the expert are in it, faces recognisable, at the support site, only a person can
    /// tell (docs/decisions.md): until then it waits in the photo queue.
    public var unchecked: Bool

    public init(status: EvidenceStatus = .missing, receivedAt: LocalDateTime? = nil, unchecked: Bool = false) {
        self.status = status
        self.receivedAt = receivedAt
        self.unchecked = unchecked
    }

    public static let missing = EvidenceItem()
}

/// The seven items of one dispatch, all `missing` to begin with.
public struct EvidenceChecklist: Equatable, Sendable {
    private var items: [EvidenceKind: EvidenceItem] = [:]

    public init(_ items: [EvidenceKind: EvidenceItem] = [:]) { self.items = items }

    public subscript(kind: EvidenceKind) -> EvidenceItem {
        get { items[kind] ?? .missing }
        set { items[kind] = newValue }
    }

    public func status(_ kind: EvidenceKind) -> EvidenceStatus { self[kind].status }
}
