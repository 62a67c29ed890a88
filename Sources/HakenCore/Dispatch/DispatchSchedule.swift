import Foundation

/// CON-5: what the institution agrees with the business and the expert: date, start, end, place.
public struct DispatchSchedule: Equatable, Sendable {
    public var date: CivilDate
    public var start: TimeOfDay
    public var end: TimeOfDay
    public var place: String

    public init(date: CivilDate, start: TimeOfDay, end: TimeOfDay, place: String) {
        self.date = date; self.start = start; self.end = end; self.place = place
    }

    public var startMoment: LocalDateTime { LocalDateTime(date: date, time: start) }
    public var endMoment: LocalDateTime { LocalDateTime(date: date, time: end) }

    /// The photo mail's subject period, `8月21日(水)10:30~15:00` (DAY-6).
    public var subjectPeriod: String {
        "\(JapaneseDateFormat.monthDayWeekday(date))\(start.hhmm)~\(end.hhmm)"
    }

    public struct Input: Codable, Sendable {
        public var date: String?
        public var start: String?
        public var end: String?
        public var place: String?
        public init(date: String?, start: String?, end: String?, place: String?) {
            self.date = date; self.start = start; self.end = end; self.place = place
        }
    }

    /// Field checks only; who may file and whether the parties exist are checked by the
    /// caller with `DispatchFiling`.
    public static func validate(_ input: Input, period: ProgrammePeriod, into check: inout FieldChecker) -> DispatchSchedule? {
        let date = check.date(input.date, field: "date", label: "支援日", within: period)
        let start = check.time(input.start, field: "start", label: "開始時刻")
        let end = check.time(input.end, field: "end", label: "終了時刻")
        let place = check.required(input.place, field: "place", label: "支援場所", maxLength: 300)
        if let start, let end, end <= start {
            check.add(FieldError(field: "end", code: "end_not_after_start", message: "終了時刻は開始時刻より後にしてください。"))
        }
        guard let date, let start, let end, !place.isEmpty, start < end else { return nil }
        return DispatchSchedule(date: date, start: start, end: end, place: place)
    }
}

/// CON-3/CON-4: only the institution decides on a dispatch and chooses its expert; the
/// business can neither file one nor name the expert. The secretariat may file on an
/// institution's behalf (e.g. when importing).
public enum DispatchFiling {
    // Who may file is the permission policy's `.fileDispatch` (AccessPolicy).

    /// What a dispatch application needs to know of the consultation it rests on.
    public struct ConsultationRecord: Equatable, Sendable {
        public var businessID: UUID
        public var institutionID: UUID
        public var date: CivilDate

        public init(businessID: UUID, institutionID: UUID, date: CivilDate) {
            self.businessID = businessID
            self.institutionID = institutionID
            self.date = date
        }
    }

    /// CON-1/CON-3: a dispatch rests on a consultation the same business had at the same
    /// institution, on or before the day of the dispatch. Nil when it does.
    public static func consultationProblem(_ consultation: ConsultationRecord?, businessID: UUID, institutionID: UUID,
                                           dispatchDate: CivilDate) -> FieldError? {
        guard let consultation else {
            return FieldError(field: "consultationId", code: "consultation_required",
                              message: "派遣の申請には、支援機関で行った経営相談の記録が必要です（CON-1）。経営相談を登録し、その ID を指定してください。")
        }
        guard consultation.businessID == businessID, consultation.institutionID == institutionID else {
            return FieldError(field: "consultationId", code: "consultation_mismatch",
                              message: "この経営相談は、指定の事業者が申請する支援機関で行ったものではありません（CON-1、CON-3）。")
        }
        guard consultation.date <= dispatchDate else {
            return FieldError(field: "consultationId", code: "consultation_after_dispatch",
                              message: "経営相談（\(JapaneseDateFormat.monthDayWeekday(consultation.date))）より前の日に派遣することはできません（CON-1）。")
        }
        return nil
    }

    /// The expert must not be the business itself: the same mail address, or the business's
    /// own name. (A person's name alone is not enough: two people may share one.)
    public static func expertIsTheBusiness(expertEmail: EmailAddress, expertName: String, business: BusinessProfile) -> Bool {
        let addresses = Set(business.reportingAddresses.map(\.matchKey))
        return addresses.contains(expertEmail.matchKey) || NameMatcher.compare(expertName, business.name) == .exact
    }
}
