/// DAY-5, CON-2: what a person checks on a support photo before it counts. Accepting needs
/// every point confirmed; rejecting needs the reason, and the business is asked for a
/// declaration instead (DAY-7).
public enum PhotoCheck {
    public enum Point: String, CaseIterable, Sendable, Codable {
        /// CON-2/DAY-5: the person who consulted the institution is in it.
        case consultedPersonPresent
        case expertPresent
        case facesRecognisable
        /// DAY-5: taken at the support location.
        case atSupportSite

        public var japaneseName: String {
            switch self {
            case .consultedPersonPresent: return "相談者（経営相談を受けた方）が写っている"
            case .expertPresent: return "専門家が写っている"
            case .facesRecognisable: return "顔が判別できる"
            case .atSupportSite: return "支援場所で撮影されている"
            }
        }
    }

    public struct Outcome: Equatable, Sendable {
        public var status: EvidenceStatus
        public var note: String
    }

    public enum Refusal: Error, Equatable, Sendable {
        case pointsUnconfirmed([Point])
        case reasonRequired
        case reasonTooLong
        case nothingToCheck

        public var message: String {
            switch self {
            case .pointsUnconfirmed(let points):
                return "受理するには、すべての確認項目にチェックしてください（未確認: \(points.map(\.japaneseName).joined(separator: "、"))）。"
            case .reasonRequired: return "不受理の理由を入力してください。"
            case .reasonTooLong: return "理由は\(MailRuling.reasonLimit)文字以内で入力してください。"
            case .nothingToCheck: return "確認待ちの支援状況写真がありません。"
            }
        }
    }

    /// AFT-3: whether a photo received at `received` came after the certification was entered.
    public static func arrivedAfterCertification(_ received: LocalDateTime?, checklist: EvidenceChecklist) -> Bool {
        guard DispatchRules.certificationEntered(checklist) else { return false }
        guard let received, let certified = checklist[.certification].receivedAt else { return true }
        return certified < received
    }

    /// `current` is the photo item as recorded; `status` on acceptance is what its timing
    /// earned (a photo that arrived after the certification stays late: AFT-3).
    public static func decide(_ verdict: MailRuling.Verdict, confirmed: Set<Point>, reason: String?,
                              current: EvidenceStatus, arrivedAfterCertification: Bool) throws(Refusal) -> Outcome {
        guard current == .accepted || current == .review || current == .late else { throw .nothingToCheck }
        let text = (reason ?? "").trimmingWhitespace
        guard text.unicodeScalars.count <= MailRuling.reasonLimit else { throw .reasonTooLong }
        switch verdict {
        case .accept:
            let missing = Point.allCases.filter { !confirmed.contains($0) }
            guard missing.isEmpty else { throw .pointsUnconfirmed(missing) }
            let status: EvidenceStatus = current == .late || arrivedAfterCertification ? .late : .accepted
            return Outcome(status: status, note: "事務局が写真を確認（\(Point.allCases.count)項目）" + (text.isEmpty ? "" : "。\(text)"))
        case .reject:
            guard !text.isEmpty else { throw .reasonRequired }
            let unconfirmed = Point.allCases.filter { !confirmed.contains($0) }.map(\.japaneseName)
            let detail = unconfirmed.isEmpty ? "" : "（確認できない点: \(unconfirmed.joined(separator: "、"))）"
            return Outcome(status: .rejected, note: "事務局が写真を不受理\(detail)。理由: \(text)")
        }
    }
}
