import Foundation

/// What became of a received mail (the `status` of its row).
public enum MailStatus: String, Sendable, Equatable, CaseIterable {
    /// Stored, waiting for the processing job.
    case queued
    /// Matched to a dispatch (or a photo consent) and recorded as evidence.
    case matched
    /// Recorded or kept, but a person must look at it (DEC-2, DEC-7, failed authentication, …).
    case review
    /// Matches nothing: waits in the queue for a person (DEC-8).
    case unmatched
    /// From an expert or an institution: not accepted as a report (DEC-6).
    case refused
    /// Sent by a machine (RFC 3834): kept, not processed further, never answered.
    case machine
    /// A person at the secretariat refused what it reported (review → rejected, with the reason).
    case rejected
    /// A person at the secretariat marked it as not about any dispatch (DEC-8), with the reason.
    case dismissed

    public var japaneseName: String {
        switch self {
        case .queued: return "処理待ち"
        case .matched: return "記録済み"
        case .review: return "確認待ち"
        case .unmatched: return "未照合"
        case .refused: return "受付不可"
        case .machine: return "自動送信"
        case .rejected: return "不受理"
        case .dismissed: return "対象外"
        }
    }
}

/// Why a mail is on the secretariat's review list.
public enum ReviewFlag: String, Sendable, Equatable, CaseIterable {
    /// DEC-7: from an address that is not the business's.
    case unknownSender
    /// #12: nothing vouches for the From domain (DKIM, SPF, DMARC), or the check did not finish.
    case authenticationFailed
    /// The subject's business name is not the registered one.
    case nameMismatch
    /// DEC-2: the written time differs from the schedule.
    case scheduleDiscrepancy
    /// AFT-1: a photo consent to check.
    case consent
    /// DAY-4/DAY-7: a declaration PDF to check.
    case declaration
}

/// One checklist item to create or replace.
public struct EvidenceChange: Equatable, Sendable {
    public var dispatchID: UUID
    public var kind: EvidenceKind
    public var status: EvidenceStatus
    public var trust: SenderTrust
    public var note: String?
    /// A photo's file in the blob store.
    public var file: String?

    public init(dispatchID: UUID, kind: EvidenceKind, status: EvidenceStatus, trust: SenderTrust, note: String? = nil, file: String? = nil) {
        self.dispatchID = dispatchID
        self.kind = kind
        self.status = status
        self.trust = trust
        self.note = note
        self.file = file
    }
}

/// AFT-1: a consent candidate for a business and fiscal year, to be checked by a person.
public struct ConsentChange: Equatable, Sendable {
    public var businessID: UUID
    public var fiscalYear: FiscalYear
}

/// The receipt to send (DEC-9, DEC-12).
public struct Receipt: Equatable, Sendable {
    public enum Audience: String, Sendable, Equatable {
        /// A registered party writing from its own address: may read its own names and dates.
        case party
        /// Anyone else: told only that the mail arrived; bounded overall (DEC-12).
        case unregistered
    }

    public var to: String
    public var audience: Audience
    public var message: ReceiptText.Message
}

/// The outcome of one mail: its status and reason, the evidence it changes, the receipt.
public struct MailDecision: Equatable, Sendable {
    public var status: MailStatus
    /// Why, in Japanese, for the secretariat.
    public var reason: String
    public var dispatchID: UUID?
    public var evidence: [EvidenceChange] = []
    public var consent: ConsentChange?
    public var flags: [ReviewFlag] = []
    public var receipt: Receipt?
    /// #12: what this mail shows against the dispatch's other reports (recorded as the mail's).
    public var findings: [CrossCheck.Finding] = []
    /// What the mail reported (a start or an end report), recorded or not (DEC-11 keeps every
    /// report): `CrossCheck` compares who reported each.
    public var reported: ReportTiming.Role?

    public init(status: MailStatus, reason: String, dispatchID: UUID? = nil) {
        self.status = status
        self.reason = reason
        self.dispatchID = dispatchID
    }
}

/// The mail rules (DAY-1…DAY-7, AFT-1, AFT-3, DEC-1…DEC-12) as one pure function of what
/// was loaded. It never queries; `DispatchRules` answers what it already knows (AFT-3).
public enum MailRules {
    public static func decide(_ facts: MailFacts) -> MailDecision {
        var decision = decideIgnoringReceiptPath(facts)
        if let message = decision.receipt?.message {
            decision.receipt = receipt(message, facts: facts, audience: decision.receipt?.audience ?? .unregistered)
        }
        return decision
    }

    /// DEC-12: receipts go to the envelope sender, never the null sender. Only a registered
    /// party writing from its own address (envelope = From) gets a receipt with names in it;
    /// anyone else gets the neutral one.
    static func receipt(_ message: ReceiptText.Message, facts: MailFacts, audience: Receipt.Audience) -> Receipt? {
        guard case .address(let envelope) = facts.replyPath else { return nil }
        let to = envelope.lowercased()
        if audience == .party, to == facts.senderAddress {
            return Receipt(to: to, audience: .party, message: message)
        }
        return Receipt(to: to, audience: .unregistered, message: ReceiptText.unregistered())
    }

    static func decideIgnoringReceiptPath(_ facts: MailFacts) -> MailDecision {
        if facts.machine {
            return MailDecision(status: .machine, reason: "自動送信メール（RFC 3834）のため処理しません。")
        }
        switch facts.sender {
        case .unreadable:
            return MailDecision(status: .unmatched, reason: "差出人アドレスを読み取れません。")
        case .secretariat:
            return MailDecision(status: .unmatched, reason: "事務局自身のアドレスからのメールです（応答しません）。")
        case .expert:
            var decision = MailDecision(status: .refused, reason: "専門家のアドレスからの報告は受け付けられません（DAY-3、DEC-6）。")
            decision.receipt = party(ReceiptText.refused(role: .expert))
            return decision
        case .institution:
            return institutionMail(facts)
        case .business(let business, let trust):
            return businessMail(facts, business: business, trust: trust)
        case .unknownMobile:
            return strangerMail(facts, trust: .unknownMobile)
        case .unknown:
            return strangerMail(facts, trust: .unknown)
        }
    }

    private static func party(_ message: ReceiptText.Message) -> Receipt {
        Receipt(to: "", audience: .party, message: message)
    }

    private static func stranger() -> Receipt {
        Receipt(to: "", audience: .unregistered, message: ReceiptText.unregistered())
    }

    // MARK: - Documents (AFT-1, DAY-4/DAY-7)

    static func pdfNames(_ facts: MailFacts) -> [String]? {
        let pdfs = facts.attachments.filter { $0.kind == .pdf }
        return pdfs.isEmpty ? nil : pdfs.map { $0.filename ?? "" }
    }

    /// AFT-1: a PDF, with 同意書 in the subject or a file name.
    static func isConsent(_ facts: MailFacts) -> Bool {
        guard let names = pdfNames(facts) else { return false }
        return facts.subjectText.contains("同意書") || names.contains { $0.contains("同意書") }
    }

    /// DAY-4/DAY-7: a PDF named as the declaration (申告書, 誓約書).
    static func isDeclaration(_ facts: MailFacts) -> Bool {
        guard let names = pdfNames(facts) else { return false }
        let words = ["申告書", "誓約書"]
        return words.contains { word in facts.subjectText.contains(word) || names.contains { $0.contains(word) } }
    }

    static func institutionMail(_ facts: MailFacts) -> MailDecision {
        guard isConsent(facts) else {
            var decision = MailDecision(status: .refused, reason: "支援機関のアドレスからの報告は受け付けられません（DAY-3、DEC-6）。")
            decision.receipt = party(ReceiptText.refused(role: .institution))
            return decision
        }
        // AFT-1: the institution may send the consent for one of its businesses, named in the
        // subject or a file name.
        let text = NameMatcher.normalize(([facts.subjectText] + facts.attachments.compactMap(\.filename)).joined(separator: " "))
        let named = Set(facts.institutionBusinesses.filter { text.contains(NameMatcher.normalize($0.name)) })
        guard named.count == 1, let business = named.first else {
            var decision = MailDecision(status: .unmatched, reason: "同意書の事業者を件名・ファイル名から特定できません（AFT-1）。")
            decision.receipt = party(ReceiptText.consentUnidentified())
            return decision
        }
        return consentDecision(facts, business: business, from: "支援機関")
    }

    static func consentDecision(_ facts: MailFacts, business: BusinessRef, from: String) -> MailDecision {
        let year = FiscalYear(containing: facts.received.date)
        var decision = MailDecision(status: .review, reason: "\(from)から写真提出の同意書（\(year.label)）の候補として受信しました（AFT-1）。")
        decision.consent = ConsentChange(businessID: business.id, fiscalYear: year)
        decision.flags = [.consent]
        decision.receipt = party(ReceiptText.consent(fiscalYear: year))
        return decision
    }

    // MARK: - From the business (DAY-1…DAY-7)

    static func businessMail(_ facts: MailFacts, business: BusinessRef, trust: SenderTrust) -> MailDecision {
        let consent = isConsent(facts)
        guard let report = facts.subject.report else {
            if consent { return consentDecision(facts, business: business, from: "事業者") }
            if isDeclaration(facts) {
                var decision = MailDecision(status: .review, reason: "支援実施申告書兼再発防止誓約書と思われるPDFを受信しました（DAY-4、DAY-7）。")
                decision.flags = [.declaration]
                decision.receipt = party(ReceiptText.declaration())
                return decision
            }
            let problem: ReportSubjectProblem
            if case .problem(let read) = facts.subject { problem = read } else { problem = .notAReport }
            var decision = MailDecision(status: .unmatched, reason: problem.japaneseReason)
            decision.receipt = party(ReceiptText.problem(problem.japaneseReason, window: true))
            return decision
        }
        var decision = reportDecision(facts, report: report, business: business, trust: trust)
        if consent {
            // AFT-1: the consent may travel with the photos.
            let year = FiscalYear(containing: facts.received.date)
            decision.consent = ConsentChange(businessID: business.id, fiscalYear: year)
            decision.flags.append(.consent)
            decision.status = .review
            decision.reason += "、写真提出の同意書（\(year.label)）"
        }
        return decision
    }

    /// DEC-7: an address that is not the business's. A mobile address may report times
    /// (pending review); any address may send the photo of a dispatch its subject names
    /// (pending review). Nothing about the programme is revealed in the receipt (DEC-12).
    static func strangerMail(_ facts: MailFacts, trust: SenderTrust) -> MailDecision {
        let address = facts.senderAddress ?? ""
        let unmatched = MailDecision(status: .unmatched, reason: "登録されていないアドレス（\(address)）からのメールです。")
        guard let report = facts.subject.report,
              trust == .unknownMobile || !facts.photoFiles.isEmpty else {
            var decision = unmatched
            decision.receipt = stranger()
            return decision
        }
        var decision = reportDecision(facts, report: report, business: nil, trust: trust)
        if decision.status == .unmatched { decision.reason = unmatched.reason + decision.reason }
        decision.receipt = stranger()
        return decision
    }

    // MARK: - Reports

    /// A report subject, from the business itself (`business` given) or from an address
    /// that is not the business's (`business` nil: the subject's names are all we have).
    static func reportDecision(_ facts: MailFacts, report: ReportSubject, business: BusinessRef?, trust: SenderTrust) -> MailDecision {
        func unmatched(_ reason: String, window: Bool = true) -> MailDecision {
            var decision = MailDecision(status: .unmatched, reason: reason)
            decision.receipt = party(ReceiptText.problem(reason, window: window))
            return decision
        }
        guard let date = ReportTiming.inferDate(month: report.month, day: report.day, receivedOn: facts.received.date) else {
            return unmatched("件名の日付が存在しない日付です。")
        }
        guard let dispatch = chooseDispatch(report, date: date, business: business, among: facts.candidates) else {
            return unmatched("\(JapaneseDateFormat.monthDayWeekday(date)) に \(report.expert) さんの派遣予定が見つかりません。事業者名・専門家名・日付をご確認ください。")
        }
        // #12: a report or photo for a cancelled dispatch is kept on it, counts for nothing, and
        // is flagged for a person (the business may not know of the cancellation).
        if dispatch.cancelled {
            let what = report.kind == .time && facts.photoFiles.isEmpty ? "時刻報告" : (facts.photoFiles.isEmpty ? "報告" : "写真付きの報告")
            var decision = MailDecision(status: .review, reason: "取り消された派遣（\(JapaneseDateFormat.monthDayWeekday(date)) \(dispatch.business.name) / \(dispatch.expertName)）への\(what)です。",
                                        dispatchID: dispatch.id)
            decision.findings = [CrossCheck.afterCancellation(what: what)]
            decision.receipt = party(ReceiptText.problem("\(JapaneseDateFormat.monthDayWeekday(date)) の派遣は取り消されています。事務局で確認のうえ、ご連絡します。", window: false))
            return decision
        }

        var notes: [String] = []
        var flags: [ReviewFlag] = []
        switch trust {
        case .unknownMobile:
            notes.append("登録されていない携帯アドレス（\(facts.senderAddress ?? "")）から受信しました。事務局で確認します（DEC-7）。")
            flags.append(.unknownSender)
        case .unknown:
            notes.append("登録されていないアドレス（\(facts.senderAddress ?? "")）から受信した写真です。事務局で確認します（DEC-7）。")
            flags.append(.unknownSender)
        case .verifiedMobile, .registered, .secretariat:
            break
        }
        // #12: a report whose From domain nothing vouches for (or that could not be checked)
        // waits for a person. The notes reach the sender's receipt, so the technical reason
        // stays on the mail's row, for the secretariat.
        if let authentication = facts.authentication, authentication.verdict != .pass {
            notes.append(authentication.verdict == .fail
                ? "送信元のアドレスを確認できなかったため、事務局で確認します。"
                : "送信元のアドレスの確認が終わっていないため、事務局で確認します。")
            flags.append(.authenticationFailed)
        }
        switch NameMatcher.compare(report.business, dispatch.business.name) {
        case .exact: break
        case .close: notes.append("件名の事業者名「\(report.business)」は登録名「\(dispatch.business.name)」と表記が異なります。")
        case .different:
            notes.append("件名の事業者名「\(report.business)」が登録名「\(dispatch.business.name)」と一致しません。")
            flags.append(.nameMismatch)
        }
        if NameMatcher.compare(report.expert, dispatch.expertName) == .close {
            notes.append("件名の専門家名「\(report.expert)」は登録名「\(dispatch.expertName)」と表記が異なります。")
        }
        // What needs a person before it counts; a schedule discrepancy (DEC-2) is recorded as
        // received and only puts the mail on the review list.
        let pending = !flags.isEmpty

        var decision = MailDecision(status: .matched, reason: "", dispatchID: dispatch.id)
        var parts: [String] = []
        var receipt: ReceiptText.Message?
        let photos = facts.photoFiles

        if report.kind == .time && trust != .unknown {
            let time = timeReport(report, date: date, dispatch: dispatch, received: facts.received, trust: trust, pending: pending)
            decision.reported = time.role
            notes += time.notes
            flags += time.flags
            if let change = time.change {
                decision.evidence.append(EvidenceChange(dispatchID: dispatch.id, kind: change.kind, status: change.status, trust: trust,
                                                        note: notes.isEmpty ? nil : notes.joined(separator: " ")))
            }
            parts.append(time.summary)
            let photoPart = photos.isEmpty ? nil : photoChange(photos, dispatch: dispatch, trust: trust, pending: pending,
                                                                note: "時刻報告メールに添付（\(photos.count)枚）")
            if let photoPart {
                if let change = photoPart.change { decision.evidence.append(change) }
                parts.append(photoPart.summary)
            }
            receipt = ReceiptText.timeReport(business: dispatch.business.name, expert: dispatch.expertName, role: time.role,
                                             written: LocalDateTime(date: date, time: report.time), received: facts.received,
                                             outcome: time.outcome, notes: notes, photos: photos.count)
        } else {
            guard !photos.isEmpty else {
                return unmatched("支援状況写真が添付されていません。写真を添付して再送してください。", window: false)
            }
            let photoPart = photoChange(photos, dispatch: dispatch, trust: trust, pending: pending,
                                        note: notes.isEmpty ? "\(photos.count)枚" : notes.joined(separator: " "))
            if let change = photoPart.change { decision.evidence.append(change) }
            parts.append(photoPart.summary)
            receipt = ReceiptText.photo(business: dispatch.business.name, date: date, count: photos.count,
                                        outcome: photoPart.outcome, notes: notes)
        }
        let setAside = facts.attachments.compactMap { attachment -> String? in
            if case .setAside(let reason) = attachment.kind { return reason }
            return nil
        }
        decision.flags = flags
        decision.status = flags.isEmpty ? .matched : .review
        decision.reason = (parts + setAside).joined(separator: "、")
        decision.receipt = receipt.map(party)
        return decision
    }

    /// The dispatch a report is about: on its day, of the sending business (or, from an
    /// unknown address, of the one business the subject names), with the expert it names;
    /// the one whose schedule is nearest the written time.
    static func chooseDispatch(_ report: ReportSubject, date: CivilDate, business: BusinessRef?,
                               among candidates: [CandidateDispatch]) -> CandidateDispatch? {
        // A cancelled dispatch is chosen only when no other one matches (#12: flagged, not counted).
        let open = candidates.filter { !$0.cancelled }
        if open.count < candidates.count, let chosen = chooseDispatch(report, date: date, business: business, among: open) { return chosen }
        let matching = candidates.filter { candidate in
            guard candidate.schedule.date == date else { return false }
            if let business, candidate.business.id != business.id { return false }   // the cheap test first
            guard NameMatcher.compare(report.expert, candidate.expertName).matches else { return false }
            return business != nil || NameMatcher.compare(report.business, candidate.business.name).matches
        }
        // From an unknown address the subject must point at one business only.
        if business == nil, Set(matching.map(\.business.id)).count != 1 { return nil }
        func distance(_ candidate: CandidateDispatch) -> Int {
            let t = report.time.minutesSinceMidnight
            return min(abs(candidate.schedule.start.minutesSinceMidnight - t), abs(candidate.schedule.end.minutesSinceMidnight - t))
        }
        return matching.min { distance($0) < distance($1) }
    }

    struct TimePart {
        var role: ReportTiming.Role
        var change: (kind: EvidenceKind, status: EvidenceStatus)?
        var outcome: ReceiptText.TimeOutcome
        var notes: [String]
        var flags: [ReviewFlag]
        var summary: String
    }

    /// DAY-1/DAY-2 with DEC-2 (±20 minutes, schedule discrepancy), DEC-5 (start or end) and
    /// DEC-11 (what it may replace).
    static func timeReport(_ report: ReportSubject, date: CivilDate, dispatch: CandidateDispatch, received: LocalDateTime,
                           trust: SenderTrust, pending: Bool) -> TimePart {
        let startRecorded = (dispatch.evidence[.startReport]?.status ?? .missing) != .missing
        let role = ReportTiming.role(written: report.time, scheduledStart: dispatch.schedule.start,
                                     scheduledEnd: dispatch.schedule.end, startRecorded: startRecorded)
        let kind: EvidenceKind = role == .start ? .startReport : .endReport
        let written = LocalDateTime(date: date, time: report.time)
        var notes: [String] = []
        var flags: [ReviewFlag] = []
        var status: EvidenceStatus
        var outcome: ReceiptText.TimeOutcome
        switch ReportTiming.punctuality(written: written, received: received) {
        case .onTime:
            status = .accepted
            outcome = .accepted
        case .outsideWindow(let minutes):
            status = .late
            notes.append("受信時刻が報告時刻から\(abs(minutes))分\(minutes > 0 ? "遅れて" : "早く")届いています（±20分以内が必要です）。")
            if minutes < 0, let from = TimeOfDay(minutesSinceMidnight: report.time.minutesSinceMidnight - ReportTiming.windowMinutes),
               let to = TimeOfDay(minutesSinceMidnight: report.time.minutesSinceMidnight + ReportTiming.windowMinutes) {
                outcome = .early(windowFrom: from, windowTo: to)
            } else {
                outcome = .late
            }
        }
        let scheduled = role == .start ? dispatch.schedule.start : dispatch.schedule.end
        if let difference = ReportTiming.scheduleDiscrepancy(written: report.time, scheduled: scheduled) {
            notes.append("報告時刻 \(report.time.hhmm) が予定（\(scheduled.hhmm)）と\(abs(difference))分異なります（DEC-2）。")
            flags.append(.scheduleDiscrepancy)
        }
        if pending {
            status = .review
            outcome = .review
        }
        let name = ReceiptText.roleName(role)
        switch EvidenceReplacement.verdict(new: status, trust: trust, existing: dispatch.evidence[kind]) {
        case .record:
            return TimePart(role: role, change: (kind, status), outcome: outcome, notes: notes, flags: flags,
                            summary: "\(name)報告（\(status.japaneseName)）")
        case .keep(let reason):
            return TimePart(role: role, change: nil, outcome: .alreadyRecorded, notes: notes, flags: flags,
                            summary: "\(name)報告: \(reason)")
        }
    }

    struct PhotoPart {
        var change: EvidenceChange?
        var outcome: ReceiptText.PhotoOutcome
        var summary: String
    }

    /// DAY-5/DAY-6 with AFT-3 (after the certification it is late) and DEC-11.
    static func photoChange(_ files: [String], dispatch: CandidateDispatch, trust: SenderTrust, pending: Bool, note: String) -> PhotoPart {
        let status: EvidenceStatus
        let outcome: ReceiptText.PhotoOutcome
        if DispatchRules.certificationEntered(dispatch.checklist) {
            (status, outcome) = (.late, .late)
        } else if pending {
            (status, outcome) = (.review, .review)
        } else {
            (status, outcome) = (.accepted, .accepted)
        }
        switch EvidenceReplacement.verdict(new: status, trust: trust, existing: dispatch.evidence[.photo]) {
        case .record:
            return PhotoPart(change: EvidenceChange(dispatchID: dispatch.id, kind: .photo, status: status, trust: trust, note: note, file: files.first),
                             outcome: outcome, summary: "支援状況写真（\(status.japaneseName)）")
        case .keep(let reason):
            return PhotoPart(change: nil, outcome: .alreadyRecorded, summary: "支援状況写真: \(reason)")
        }
    }
}
