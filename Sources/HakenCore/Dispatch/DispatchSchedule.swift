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
    public enum Refusal: Equatable, Sendable {
        case notAllowed(Role)
        case otherInstitution
    }

    public static func check(filer: Role, filerInstitutionID: String?, institutionID: String) -> Refusal? {
        switch filer {
        case .secretariat: return nil
        case .institution: return filerInstitutionID == institutionID ? nil : .otherInstitution
        case .business, .expert: return .notAllowed(filer)
        }
    }

    /// The expert must not be the business itself: the same mail address, or the business's
    /// own name. (A person's name alone is not enough: two people may share one.)
    public static func expertIsTheBusiness(expertEmail: EmailAddress, expertName: String, business: BusinessProfile) -> Bool {
        let addresses = Set(business.reportingAddresses.map(\.matchKey))
        return addresses.contains(expertEmail.matchKey) || NameMatcher.compare(expertName, business.name) == .exact
    }
}
