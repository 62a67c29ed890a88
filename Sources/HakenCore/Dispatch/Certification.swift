/// AFT-2: the business certifies that the expert worked (従事証明) and evaluates the expert
/// (専門家評価), through the link mailed when the expert filed the report.
public struct Certification: Equatable, Sendable {
    /// The business confirms the expert's times, or disputes them (DEC-2: a discrepancy for
    /// the secretariat, with the business's own account of what happened).
    public enum Times: Equatable, Sendable {
        case confirmed
        case disputed(reason: String)
    }

    public var times: Times
    /// 1 (不満) … 5 (とても満足).
    public var rating: Int
    public var comment: String?

    public static let ratings = 1...5

    public init(times: Times, rating: Int, comment: String?) {
        self.times = times
        self.rating = rating
        self.comment = comment
    }

    public struct Input: Codable, Sendable {
        public var times: String?
        public var disputeReason: String?
        public var rating: String?
        public var comment: String?
        public init(times: String?, disputeReason: String?, rating: String?, comment: String?) {
            self.times = times; self.disputeReason = disputeReason; self.rating = rating; self.comment = comment
        }
    }

    public static func validate(_ input: Input) throws(ValidationFailure) -> Certification {
        var check = FieldChecker()
        var times: Times?
        switch input.times {
        case "confirm": times = .confirmed
        case "dispute":
            let reason = check.required(input.disputeReason, field: "disputeReason", label: "実際の時刻と内容", maxLength: 2000)
            times = .disputed(reason: reason)
        default:
            check.add(FieldError(field: "times", code: "required", message: "専門家の報告した時刻が正しいかどうかを選んでください。"))
        }
        let rating = check.integer(input.rating, field: "rating", label: "評価", range: ratings, required: true)
        let comment = check.optional(input.comment, field: "comment", label: "ご意見", maxLength: 2000)
        try check.finish()
        guard let times, let rating else { throw ValidationFailure([.required("rating", label: "評価")]) }
        return Certification(times: times, rating: rating, comment: comment)
    }

    /// Why the certification cannot be entered yet (AFT-2, AFT-3), in the words the page shows.
    public enum Refusal: Equatable, Sendable {
        /// AFT-2: the expert has not filed the report.
        case noExpertReport
        /// AFT-3: the photo must have arrived first.
        case noPhoto
        case alreadyCertified
        case cancelled

        public var message: String {
            switch self {
            case .noExpertReport:
                return "専門家の支援報告がまだ提出されていません。報告が提出されると、あらためてご案内のメールをお送りします。"
            case .noPhoto:
                return "支援状況写真がまだ届いていません。写真が届くまで従事証明は入力できません（写真を先にお送りください）。写真を撮影できなかった場合は、支援実施申告書の提出が必要です。"
            case .alreadyCertified:
                return "この派遣の従事証明は既に入力されています。"
            case .cancelled:
                return "この派遣は取り消されています。"
            }
        }
    }

    /// AFT-3: a photo has arrived when it is received in any form (accepted, late, in review),
    /// waived by the secretariat, or replaced by an accepted declaration (DAY-7).
    public static func refusal(_ evidence: EvidenceChecklist, cancelled: Bool) -> Refusal? {
        if cancelled { return .cancelled }
        switch evidence.status(.certification) {
        case .accepted, .late, .review, .waived: return .alreadyCertified
        case .missing, .rejected: break
        }
        switch evidence.status(.expertReport) {
        case .accepted, .late, .review, .waived: break
        case .missing, .rejected: return .noExpertReport
        }
        switch evidence.status(.photo) {
        case .accepted, .late, .review, .waived: return nil
        case .missing, .rejected: return evidence.status(.declaration) == .accepted ? nil : .noPhoto
        }
    }
}
