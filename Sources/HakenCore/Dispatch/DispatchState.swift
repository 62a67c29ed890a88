/// Where a dispatch stands, derived from its evidence and never stored on its own, so it
/// cannot drift from the facts.
public enum DispatchState: String, Codable, Sendable, CaseIterable {
    /// Before the day of the support.
    case scheduled
    /// On or after the day: reports, photo or consent still to come from the business.
    case collecting
    /// Something received waits for the secretariat's decision.
    case underReview
    /// DAY-4/DAY-7: a report or the photo is missing or late, and no declaration covers it yet.
    case declarationRequired
    /// AFT-2: the expert has not filed the report yet.
    case awaitingExpertReport
    /// AFT-2: the business has not entered the certification and evaluation yet.
    case awaitingCertification
    /// Every duty done: fee and travel expenses can be paid (NOTE-1).
    case complete
    /// NOTE-2: the deadline passed with duties undone; proposed as outside the programme,
    /// waiting for a person at the secretariat to confirm it (or extend the deadline).
    case outsideProposed
    /// NOTE-2: confirmed by the secretariat with a reason: outside the programme.
    case outsideProgramme
    case cancelled

    public var japaneseName: String {
        switch self {
        case .scheduled: return "支援予定"
        case .collecting: return "当日報告待ち"
        case .underReview: return "事務局確認中"
        case .declarationRequired: return "申告書提出待ち"
        case .awaitingExpertReport: return "専門家報告待ち"
        case .awaitingCertification: return "従事証明待ち"
        case .complete: return "完了（支払可）"
        case .outsideProposed: return "期限超過（事業対象外の確認待ち）"
        case .outsideProgramme: return "事業対象外"
        case .cancelled: return "取消"
        }
    }
}

public struct DispatchAssessment: Equatable, Sendable {
    public var state: DispatchState
    /// NOTE-1: only a complete dispatch gets its fee and travel expenses paid.
    public var paymentEligible: Bool { state == .complete }
    /// DAY-4/DAY-7: the items a declaration has to cover (empty when none is needed).
    public var needsDeclarationFor: [EvidenceKind]
    public var declarationRequired: Bool { !needsDeclarationFor.isEmpty }
    /// Items not yet done, in checklist order; includes `.declaration` while one is required and missing.
    public var outstanding: [EvidenceKind]
    /// Items waiting for the secretariat.
    public var inReview: [EvidenceKind]
}

/// What the derive function needs to know about one dispatch.
public struct DispatchFacts: Equatable, Sendable {
    public var date: CivilDate
    public var evidence: EvidenceChecklist
    /// NOTE-2: after this day, duties still undone put the dispatch outside the programme,
    /// and what arrives later no longer counts.
    public var deadline: CivilDate
    public var cancelled: Bool
    /// NOTE-2: a person at the secretariat confirmed, with a reason, that it is outside the programme.
    public var outsideConfirmed: Bool

    public init(date: CivilDate, evidence: EvidenceChecklist = EvidenceChecklist(), deadline: CivilDate? = nil, cancelled: Bool = false,
                outsideConfirmed: Bool = false) {
        self.date = date
        self.evidence = evidence
        self.deadline = deadline ?? DispatchDeadline.standard(for: date)
        self.cancelled = cancelled
        self.outsideConfirmed = outsideConfirmed
    }
}

/// The programme guide sets no date by which the duties must be done; HakenDesk closes a
/// dispatch's file a fixed number of business days after the support (docs/decisions.md).
public enum DispatchDeadline {
    public static let businessDaysAfterSupport = 20

    public static func standard(for date: CivilDate) -> CivilDate {
        BusinessCalendar.adding(businessDays: businessDaysAfterSupport, to: date)
    }
}

public enum DispatchRules {
    /// How one checklist item stands.
    enum Standing: Equatable {
        case satisfied
        /// Waiting for the secretariat.
        case pending
        /// Still to be done and still possible.
        case open
        /// Not done in time: only a declaration can replace it (DAY-4, DAY-7).
        case failed
    }

    /// Derives state and payment eligibility from the evidence (NOTE-1, NOTE-2, DAY-4,
    /// DAY-7, AFT-3). `today` is the Tokyo date.
    public static func assess(_ facts: DispatchFacts, today: CivilDate) -> DispatchAssessment {
        let evidence = counted(facts, today: today)
        let dayHasPassed = today > facts.date

        func dayDuty(_ kind: EvidenceKind) -> Standing {
            switch evidence.status(kind) {
            case .accepted, .waived: return .satisfied
            case .review: return .pending
            case .late, .rejected: return .failed
            case .missing: return dayHasPassed ? .failed : .open
            }
        }
        func laterDuty(_ kind: EvidenceKind) -> Standing {
            switch evidence.status(kind) {
            case .accepted, .late, .waived: return .satisfied
            case .review: return .pending
            case .missing, .rejected: return .open
            }
        }

        let certification = laterDuty(.certification)
        var standings: [EvidenceKind: Standing] = [
            .startReport: dayDuty(.startReport),
            .endReport: dayDuty(.endReport),
            .photo: photoStanding(evidence, certification: certification),
            .photoConsent: laterDuty(.photoConsent),
            .expertReport: laterDuty(.expertReport),
            .certification: certification,
        ]
        let needsDeclarationFor = [EvidenceKind.startReport, .endReport, .photo].filter { standings[$0] == .failed }
        if needsDeclarationFor.isEmpty {
            standings[.declaration] = .satisfied
        } else {
            let declaration = laterDuty(.declaration)
            standings[.declaration] = declaration
            if declaration == .satisfied {
                for kind in needsDeclarationFor { standings[kind] = .satisfied }
            }
        }

        let order = EvidenceKind.allCases
        let outstanding = order.filter { standings[$0] != .satisfied }
        let inReview = order.filter { standings[$0] == .pending }
        func has(_ kinds: [EvidenceKind], _ standing: Standing) -> Bool { kinds.contains { standings[$0] == standing } }

        let state: DispatchState
        if facts.cancelled {
            state = .cancelled
        } else if today < facts.date {
            state = .scheduled
        } else if outstanding.isEmpty {
            state = .complete
        } else if today > facts.deadline {
            state = facts.outsideConfirmed ? .outsideProgramme : .outsideProposed
        } else if !inReview.isEmpty {
            state = .underReview
        } else if !needsDeclarationFor.isEmpty && standings[.declaration] != .satisfied {
            state = .declarationRequired
        } else if has([.startReport, .endReport, .photo, .photoConsent], .open) {
            state = .collecting
        } else if standings[.expertReport] == .open {
            state = .awaitingExpertReport
        } else {
            state = .awaitingCertification
        }
        return DispatchAssessment(state: state, needsDeclarationFor: needsDeclarationFor,
                                  outstanding: outstanding, inReview: inReview)
    }

    /// AFT-3: whether the certification has been entered (a photo arriving now is too late).
    public static func certificationEntered(_ evidence: EvidenceChecklist) -> Bool {
        switch evidence.status(.certification) {
        case .accepted, .late, .waived: return true
        case .missing, .review, .rejected: return false
        }
    }

    /// DAY-6/AFT-3: the photo must arrive before the certification is entered. A photo
    /// still missing, or arriving after it, once the certification is in can only be
    /// replaced by a declaration (DAY-7).
    static func photoStanding(_ evidence: EvidenceChecklist, certification: Standing) -> Standing {
        let photo = evidence[.photo]
        switch photo.status {
        case .waived: return .satisfied
        case .review: return .pending
        case .late, .rejected: return .failed
        case .missing: return certification == .satisfied ? .failed : .open
        case .accepted:
            if certification == .satisfied, let photoAt = photo.receivedAt,
               let certifiedAt = evidence[.certification].receivedAt, photoAt > certifiedAt {
                return .failed
            }
            // DAY-5: counts once a person has checked what it shows.
            return photo.unchecked ? .pending : .satisfied
        }
    }

    /// NOTE-2: once the deadline has passed, what arrived after it does not count.
    static func counted(_ facts: DispatchFacts, today: CivilDate) -> EvidenceChecklist {
        guard today > facts.deadline else { return facts.evidence }
        var evidence = facts.evidence
        for kind in EvidenceKind.allCases {
            if let at = evidence[kind].receivedAt, at.date > facts.deadline {
                evidence[kind] = .missing
            }
        }
        return evidence
    }
}
