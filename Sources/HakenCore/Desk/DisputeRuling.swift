/// AFT-2, DEC-2: the business disputed the expert's times at certification. A person settles
/// it after asking both: accepted, the certification counts (with whose account holds, in the
/// reason); rejected, the work is not certified and the fee is not paid (NOTE-1). Either way
/// the reason is required: it is what the fee's payment rests on.
public enum DisputeRuling {
    public static func decide(_ verdict: MailRuling.Verdict, reason: String?, current: EvidenceStatus) throws(MailRuling.Refusal) -> EvidenceChangeDraft {
        guard current == .review else { throw .notDecidable(.matched) }
        let text = try MailRuling.checkedReason(reason, required: true) ?? ""
        switch verdict {
        case .accept: return EvidenceChangeDraft(status: .accepted, note: "事務局が異議を確認し従事証明を受理。理由: \(text)")
        case .reject: return EvidenceChangeDraft(status: .rejected, note: "事務局が異議を確認し従事証明を不受理（謝金・旅費は支払われません）。理由: \(text)")
        }
    }
}

/// A new status and note for one item whose dispatch and trust the shell knows.
public struct EvidenceChangeDraft: Equatable, Sendable {
    public var status: EvidenceStatus
    public var note: String
}
