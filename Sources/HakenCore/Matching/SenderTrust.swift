/// DEC-11: how far the sender of a report or photo is trusted, lowest first. Stored with
/// each evidence item, so a later report can be compared with the one it would replace.
public enum SenderTrust: String, Sendable, Equatable, CaseIterable, Comparable {
    /// An address that is not the business's: only a photo is attached, pending review (DEC-7).
    case unknown
    /// A mobile-carrier or smartphone address nobody registered or verified (DEC-7, DEC-10).
    case unknownMobile
    /// The business's mobile address, verified by the link mailed to it (DEC-10).
    case verifiedMobile
    /// The member account's address (REG-2).
    case registered
    /// Recorded by a person at the secretariat, or by the programme itself: mail never replaces it.
    case secretariat

    var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: SenderTrust, rhs: SenderTrust) -> Bool { lhs.rank < rhs.rank }

    public var japaneseName: String {
        switch self {
        case .unknown: return "登録外のアドレス"
        case .unknownMobile: return "登録外の携帯アドレス"
        case .verifiedMobile: return "確認済みの携帯アドレス"
        case .registered: return "登録メールアドレス"
        case .secretariat: return "事務局"
        }
    }
}

/// DEC-11: whether a report may replace the evidence already recorded for its item.
public enum EvidenceReplacement {
    public enum Verdict: Equatable, Sendable {
        case record
        /// Kept as received (the mail stays visible), but the recorded item stands.
        case keep(reason: String)
    }

    /// A report never replaces evidence from a higher-trust sender; from the same trust it
    /// replaces only to improve it (late → accepted); from a higher trust it replaces
    /// whatever a lower one sent. A waived item and what a person recorded stand.
    public static func verdict(new status: EvidenceStatus, trust: SenderTrust, existing: RecordedEvidence?) -> Verdict {
        guard let existing, existing.status != .missing else { return .record }
        if existing.status == .waived { return .keep(reason: "この項目は事務局の判断で免除されています。") }
        if existing.trust == .secretariat { return .keep(reason: "この項目は事務局が記録済みです。") }
        if trust > existing.trust { return .record }
        if trust < existing.trust {
            return .keep(reason: "\(existing.trust.japaneseName)からの報告が既にあるため、記録は変更しません（DEC-11）。")
        }
        if existing.status == .rejected || improvement(status) > improvement(existing.status) { return .record }
        return .keep(reason: "同じ報告を既に受け付けています（記録は変更しません）。")
    }

    /// For one sender's reports of one item: accepted is better than late, late (a real,
    /// authenticated report) better than one waiting for review.
    static func improvement(_ status: EvidenceStatus) -> Int {
        switch status {
        case .accepted: return 3
        case .late: return 2
        case .review: return 1
        case .missing, .rejected, .waived: return 0
        }
    }
}

/// One recorded checklist item as the decision sees it.
public struct RecordedEvidence: Equatable, Sendable {
    public var status: EvidenceStatus
    public var trust: SenderTrust
    public var receivedAt: LocalDateTime?

    public init(status: EvidenceStatus, trust: SenderTrust, receivedAt: LocalDateTime? = nil) {
        self.status = status
        self.trust = trust
        self.receivedAt = receivedAt
    }
}
