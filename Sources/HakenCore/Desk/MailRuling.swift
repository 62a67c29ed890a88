/// The secretariat's decisions on received mail (#11, DEC-2, DEC-6, DEC-7, DEC-8): accept or
/// reject what a mail in a queue recorded, assign an unmatched mail to a dispatch, or set a
/// mail aside as not about any dispatch. Pure: the shell loads the mail, its dispatch and the
/// items the mail still owns, calls one of these, and writes the outcome.
public enum MailRuling {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case accept
        case reject
    }

    /// What a ruling changes.
    public struct Outcome: Equatable, Sendable {
        /// The mail's new status.
        public var mailStatus: MailStatus
        public var evidence: [EvidenceChange]
        /// For the mail's row and the audit log.
        public var summary: String
    }

    public enum Refusal: Error, Equatable, Sendable {
        case reasonRequired
        case reasonTooLong
        case notDecidable(MailStatus)
        case noPhotoInMail
        case kindNotAssignable
        case dispatchCancelled

        public var message: String {
            switch self {
            case .reasonRequired: return "理由を入力してください。"
            case .reasonTooLong: return "理由は1000文字以内で入力してください。"
            case .notDecidable(let status): return "このメール（\(status.japaneseName)）は判断の対象ではありません。"
            case .noPhotoInMail: return "このメールには写真が添付されていないため、支援状況写真として割り当てられません。"
            case .kindNotAssignable: return "割り当てられるのは、支援開始・終了時刻の報告と支援状況写真です。"
            case .dispatchCancelled: return "取り消された派遣には割り当てられません。"
            }
        }
    }

    /// The most a person may write as a reason (it goes into mails and the audit log).
    public static let reasonLimit = 1000

    /// Kinds a mail can be assigned as.
    public static let assignableKinds: [EvidenceKind] = [.startReport, .endReport, .photo]

    public static func checkedReason(_ reason: String?, required: Bool) throws(Refusal) -> String? {
        let text = (reason ?? "").trimmingWhitespace
        if text.isEmpty {
            if required { throw .reasonRequired }
            return nil
        }
        guard text.unicodeScalars.count <= reasonLimit else { throw .reasonTooLong }
        return text
    }

    /// Accept or reject what a mail in a queue recorded. `owned` are the items this mail
    /// recorded that are still its own (a later report may have replaced one: DEC-11); those
    /// are the only ones a ruling changes. Accepting a report waiting for review gives it the
    /// status its timing earns (DAY-1/DAY-2 ±20 minutes; AFT-3 for a photo); accepting a late
    /// one is a person overriding the lateness and needs a reason; rejecting always does, and
    /// a rejected report or photo asks for a declaration (DAY-4, DAY-7).
    public static func review(_ verdict: Verdict, mailStatus: MailStatus, received: LocalDateTime, report: ReportSubject?,
                              dispatch: CandidateDispatch, owned: [EvidenceKind: RecordedEvidence],
                              reason: String?) throws(Refusal) -> Outcome {
        switch mailStatus {
        case .review, .matched, .refused: break
        default: throw .notDecidable(mailStatus)
        }
        let overridesLateness = verdict == .accept && owned.values.contains { $0.status == .late }
        let note = try checkedReason(reason, required: verdict == .reject || overridesLateness)
        var changes: [EvidenceChange] = []
        for kind in EvidenceKind.allCases {
            guard let item = owned[kind] else { continue }
            let status: EvidenceStatus
            switch verdict {
            case .reject:
                status = .rejected
            case .accept:
                switch item.status {
                case .review: status = earnedStatus(kind, dispatch: dispatch, received: received, report: report)
                case .late: status = .accepted
                default: continue
                }
            }
            guard status != item.status else { continue }
            changes.append(EvidenceChange(dispatchID: dispatch.id, kind: kind, status: status, trust: item.trust,
                                          note: rulingNote(verdict, status: status, reason: note)))
        }
        let names = changes.map { "\($0.kind.japaneseName)（\($0.status.japaneseName)）" }
        let summary = verdict == .accept
            ? (names.isEmpty ? "事務局が確認しました" : "事務局が受理: " + names.joined(separator: "、"))
            : "事務局が不受理: " + (names.isEmpty ? "記録の変更なし" : names.joined(separator: "、"))
        return Outcome(mailStatus: verdict == .accept ? .matched : .rejected, evidence: changes,
                       summary: summary + (note.map { "（理由: \($0)）" } ?? ""))
    }

    /// DEC-8: a person assigns an unmatched mail to a dispatch as one item. It is recorded with
    /// the secretariat's trust (DEC-11: mail no longer replaces it) and the status its timing
    /// earns: a time report against the time its subject gives, or, when the subject gives
    /// none, against the scheduled time of that item.
    public static func assign(mailStatus: MailStatus, kind: EvidenceKind, received: LocalDateTime, report: ReportSubject?,
                              photoFile: String?, dispatch: CandidateDispatch, cancelled: Bool,
                              reason: String?) throws(Refusal) -> Outcome {
        guard mailStatus == .unmatched || mailStatus == .refused else { throw .notDecidable(mailStatus) }
        guard assignableKinds.contains(kind) else { throw .kindNotAssignable }
        guard !cancelled else { throw .dispatchCancelled }
        let note = try checkedReason(reason, required: false)
        if kind == .photo && photoFile == nil { throw .noPhotoInMail }
        let status = earnedStatus(kind, dispatch: dispatch, received: received, report: report)
        var text = "事務局が割り当て（\(status.japaneseName)）"
        if let note { text += "。理由: \(note)" }
        let change = EvidenceChange(dispatchID: dispatch.id, kind: kind, status: status, trust: .secretariat, note: text,
                                    file: kind == .photo ? photoFile : nil)
        return Outcome(mailStatus: .matched, evidence: [change], summary: "\(kind.japaneseName)として割り当て（\(status.japaneseName)）"
                        + (note.map { "（理由: \($0)）" } ?? ""))
    }

    /// DEC-8: not about any dispatch (advertising, a question, a wrong address): kept, with the reason.
    public static func dismiss(mailStatus: MailStatus, reason: String?) throws(Refusal) -> Outcome {
        switch mailStatus {
        case .unmatched, .refused, .machine, .review: break
        default: throw .notDecidable(mailStatus)
        }
        let note = try checkedReason(reason, required: true) ?? ""
        return Outcome(mailStatus: .dismissed, evidence: [], summary: "対象外（理由: \(note)）")
    }

    /// The status an item earns on its own merits: a time report by DAY-1/DAY-2's window, a
    /// photo by AFT-3 (after the certification it is late).
    static func earnedStatus(_ kind: EvidenceKind, dispatch: CandidateDispatch, received: LocalDateTime,
                             report: ReportSubject?) -> EvidenceStatus {
        switch kind {
        case .startReport, .endReport:
            let scheduled = kind == .startReport ? dispatch.schedule.start : dispatch.schedule.end
            let writtenTime = report.flatMap { $0.kind == .time ? $0.time : nil } ?? scheduled
            let written = LocalDateTime(date: dispatch.schedule.date, time: writtenTime)
            switch ReportTiming.punctuality(written: written, received: received) {
            case .onTime: return .accepted
            case .outsideWindow: return .late
            }
        case .photo:
            // AFT-3: late only if it arrived after the certification was entered — a person
            // accepting it later does not make it late.
            return PhotoCheck.arrivedAfterCertification(received, checklist: dispatch.checklist) ? .late : .accepted
        default:
            return .accepted
        }
    }

    static func rulingNote(_ verdict: Verdict, status: EvidenceStatus, reason: String?) -> String {
        let head = verdict == .accept ? "事務局が確認し\(status.japaneseName)" : "事務局が不受理"
        return reason.map { "\(head)。理由: \($0)" } ?? head
    }
}
