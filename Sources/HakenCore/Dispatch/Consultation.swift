/// 経営相談: the talk at the institution that precedes every dispatch.
public struct Consultation: Equatable, Sendable {
    public enum Mode: Equatable, Sendable {
        /// CON-1: the normal case.
        case inPerson
        /// CON-1: only under a disaster special measure (災害時の特例措置) that the
        /// institution names explicitly.
        case remote(disasterMeasure: String)
    }

    public var date: CivilDate
    public var mode: Mode
    /// CON-2: the person photographed at the consultation, who must later receive the support
    /// and appear in the support photo (DAY-5).
    public var consultedPerson: String
    /// CON-2: the institution photographs the consultation.
    public var photographed: Bool

    public init(date: CivilDate, mode: Mode, consultedPerson: String, photographed: Bool) {
        self.date = date; self.mode = mode; self.consultedPerson = consultedPerson; self.photographed = photographed
    }

    public struct Input: Codable, Sendable {
        public var date: String?
        /// `in_person`, `phone` or `online`.
        public var mode: String?
        public var disasterMeasure: String?
        public var consultedPerson: String?
        public var photographed: Bool?

        public init(date: String?, mode: String?, disasterMeasure: String? = nil, consultedPerson: String?, photographed: Bool?) {
            self.date = date; self.mode = mode; self.disasterMeasure = disasterMeasure
            self.consultedPerson = consultedPerson; self.photographed = photographed
        }
    }

    public static func validate(_ input: Input, period: ProgrammePeriod) throws(ValidationFailure) -> Consultation {
        var check = FieldChecker()
        let date = check.date(input.date, field: "date", label: "相談日", within: period)
        let modeText = (input.mode ?? "in_person").trimmingWhitespace
        var mode = Mode.inPerson
        switch modeText {
        case "in_person", "対面", "": mode = .inPerson
        case "phone", "online", "電話", "オンライン":
            if let measure = check.optional(input.disasterMeasure, field: "disasterMeasure", label: "災害時の特例措置名") {
                mode = .remote(disasterMeasure: measure)
            } else {
                check.add(FieldError(field: "mode", code: "in_person_required",
                                     message: "支援機関への相談は対面で行います。電話・オンラインでの相談は災害時の特例措置の場合に限られます（特例措置名を入力してください）。"))
            }
        default:
            check.add(FieldError(field: "mode", code: "invalid_choice", message: "相談方法は「対面」「電話」「オンライン」のいずれかを指定してください。"))
        }
        let person = check.required(input.consultedPerson, field: "consultedPerson", label: "相談者（支援を受ける方）の氏名")
        if input.photographed != true {
            check.add(FieldError(field: "photographed", code: "photo_required", message: "相談の様子を写真に撮影してください（支援を受ける方が写っている必要があります）。"))
        }
        try check.finish()
        guard let date else { throw ValidationFailure([FieldError(field: "date", code: "required", message: "相談日を入力してください。")]) }
        return Consultation(date: date, mode: mode, consultedPerson: person, photographed: true)
    }
}

extension FieldChecker {
    /// A required `YYYY-MM-DD` date that exists, within the programme's fiscal years when
    /// `period` is given (DEC-13).
    public mutating func date(_ value: String?, field: String, label: String, within period: ProgrammePeriod? = nil) -> CivilDate? {
        // Exactly YYYY-MM-DD, nothing around it (what a date input sends, and what the contract says).
        guard let text = value, !text.trimmingWhitespace.isEmpty else {
            add(.required(field, label: label))
            return nil
        }
        guard let date = CivilDate(iso: text) else {
            add(FieldError(field: field, code: "invalid_date", message: "\(label)は実在する日付を YYYY-MM-DD 形式で入力してください（例: 2019-08-21）。"))
            return nil
        }
        if let period, !period.contains(date) {
            add(FieldError(field: field, code: "outside_programme", message: period.refusal(label: label)))
            return nil
        }
        return date
    }

    /// A required 24-hour `HH:MM` time.
    public mutating func time(_ value: String?, field: String, label: String) -> TimeOfDay? {
        guard let text = value, !text.trimmingWhitespace.isEmpty else {
            add(.required(field, label: label))
            return nil
        }
        guard let time = TimeOfDay(hhmm: text) else {
            add(FieldError(field: field, code: "invalid_time", message: "\(label)は24時間制の HH:MM 形式で入力してください（例: 10:30）。"))
            return nil
        }
        return time
    }
}
