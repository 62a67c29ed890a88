/// NOTE-1, NOTE-2, NOTE-4: the deadlines of a dispatch's open duties, counted in business
/// days (holidays and 12/29–1/3 excluded), the reminders due before them and the escalation
/// after. Pure: the scheduler loads the facts, asks what is due now, and writes it once.
public struct DeadlineSettings: Sendable, Equatable {
    /// DAY-6: the photo, this many business days after the support day.
    public var photoDays: Int
    /// AFT-2: the certification, this many business days after the expert's report.
    public var certificationDays: Int
    /// DAY-4/DAY-7: the declaration, this many business days after it is asked for.
    public var declarationDays: Int
    /// Reminders go out this many business days before a deadline.
    public var remindBefore: Int

    public init(photoDays: Int = 3, certificationDays: Int = 5, declarationDays: Int = 10, remindBefore: Int = 1) {
        self.photoDays = photoDays
        self.certificationDays = certificationDays
        self.declarationDays = declarationDays
        self.remindBefore = remindBefore
    }

    /// Each value 0…60 business days (a deadline years away would never be kept either).
    public static let range = 0...60
}

public enum DutyKind: String, Sendable, Codable, CaseIterable {
    case photo
    case certification
    case declaration
    /// NOTE-2: the final deadline of every duty.
    case final

    public var japaneseName: String {
        switch self {
        case .photo: return "支援状況写真の送付"
        case .certification: return "従事証明・専門家評価の入力"
        case .declaration: return "支援実施申告書の提出"
        case .final: return "すべての手続き（最終期限）"
        }
    }
}

public struct DutyDeadline: Equatable, Sendable {
    public var kind: DutyKind
    public var deadline: CivilDate
}

/// What the deadline rules read about one dispatch.
public struct DeadlineFacts: Equatable, Sendable {
    public var dispatch: DispatchFacts
    /// DAY-4/DAY-7: the day a declaration was first asked for (nil: the day after the support).
    public var declarationAskedOn: CivilDate?

    public init(dispatch: DispatchFacts, declarationAskedOn: CivilDate? = nil) {
        self.dispatch = dispatch
        self.declarationAskedOn = declarationAskedOn
    }
}

public enum DeadlineRules {
    public enum Stage: String, Sendable, Codable {
        /// A reminder to the person in charge (copy to the institution), before the deadline.
        case before
        /// The deadline passed with the duty undone: escalated to the secretariat.
        case overdue
    }

    public struct Due: Equatable, Sendable {
        public var kind: DutyKind
        public var stage: Stage
        public var deadline: CivilDate
    }

    /// The business's open duties with their deadlines, each no later than the final one.
    public static func open(_ facts: DeadlineFacts, today: CivilDate, settings: DeadlineSettings) -> [DutyDeadline] {
        let dispatch = facts.dispatch
        let assessment = DispatchRules.assess(dispatch, today: today)
        switch assessment.state {
        case .scheduled, .complete, .cancelled, .outsideProposed, .outsideProgramme: return []
        default: break
        }
        let final = dispatch.deadline
        func capped(_ date: CivilDate) -> CivilDate { min(date, final) }
        let evidence = dispatch.evidence
        var duties: [DutyDeadline] = []
        let certified = DispatchRules.certificationEntered(evidence)
        if evidence.status(.photo) == .missing && !certified {
            duties.append(DutyDeadline(kind: .photo, deadline: capped(BusinessCalendar.adding(businessDays: settings.photoDays, to: dispatch.date))))
        }
        switch (evidence.status(.expertReport), evidence.status(.certification)) {
        case (.accepted, .missing), (.late, .missing), (.waived, .missing), (.accepted, .rejected), (.late, .rejected), (.waived, .rejected):
            let filed = evidence[.expertReport].receivedAt?.date ?? dispatch.date
            duties.append(DutyDeadline(kind: .certification, deadline: capped(BusinessCalendar.adding(businessDays: settings.certificationDays, to: filed))))
        default:
            break
        }
        if assessment.declarationRequired && assessment.outstanding.contains(.declaration) {
            let asked = facts.declarationAskedOn ?? BusinessCalendar.nextBusinessDay(after: dispatch.date)
            duties.append(DutyDeadline(kind: .declaration, deadline: capped(BusinessCalendar.adding(businessDays: settings.declarationDays, to: asked))))
        }
        if !assessment.outstanding.isEmpty { duties.append(DutyDeadline(kind: .final, deadline: final)) }
        return duties
    }

    /// What is due at `now` (Tokyo): a reminder once the deadline is `remindBefore` business
    /// days away or nearer — only while the secretariat is open (NOTE-4), so a reminder never
    /// arrives at night or on a holiday — and an escalation once the deadline has passed (the
    /// final deadline's passing is the outside-programme proposal instead). The caller writes
    /// each at most once, whenever it runs: a run after downtime catches up.
    public static func due(_ facts: DeadlineFacts, now: LocalDateTime, settings: DeadlineSettings) -> [Due] {
        let today = now.date
        var due: [Due] = []
        for duty in open(facts, today: today, settings: settings) {
            if today > duty.deadline {
                if duty.kind != .final { due.append(Due(kind: duty.kind, stage: .overdue, deadline: duty.deadline)) }
            } else if BusinessCalendar.isOpen(at: now),
                      BusinessCalendar.businessDays(from: today, to: duty.deadline) <= settings.remindBefore {
                due.append(Due(kind: duty.kind, stage: .before, deadline: duty.deadline))
            }
        }
        return due
    }
}

/// NOTE-2: the secretariat's decision on a dispatch proposed as outside the programme.
public enum OutsideProgrammeRuling {
    public enum Decision: Equatable, Sendable {
        case confirm(reason: String)
        /// A new final deadline (a business day after today), with the reason.
        case extend(to: CivilDate, reason: String)
    }

    public static func decide(_ decision: String?, reason: String?, newDeadline: String?, state: DispatchState,
                              today: CivilDate) throws(ValidationFailure) -> Decision {
        var check = FieldChecker()
        let text = check.required(reason, field: "reason", label: "理由", maxLength: MailRuling.reasonLimit)
        var result: Decision?
        switch decision {
        case "confirm":
            result = .confirm(reason: text)
        case "extend":
            let day = (newDeadline ?? "").trimmingWhitespace
            if let date = CivilDate(iso: day), date > today, date.year <= today.year + 1, BusinessCalendar.isBusinessDay(date) {
                result = .extend(to: date, reason: text)
            } else {
                check.add(FieldError(field: "deadline", code: "invalid_date",
                                     message: "新しい期限は、明日以降1年以内の営業日を 2026-12-01 の形で入力してください。"))
            }
        default:
            check.add(FieldError(field: "decision", code: "required", message: "事業対象外と確定するか、期限を延長するかを選んでください。"))
        }
        if state != .outsideProposed {
            check.add(FieldError(field: "decision", code: "not_proposed", message: "この派遣は事業対象外の確認待ちではありません（\(state.japaneseName)）。"))
        }
        try check.finish()
        guard let result else { throw ValidationFailure([.required("decision", label: "判断")]) }
        return result
    }
}
