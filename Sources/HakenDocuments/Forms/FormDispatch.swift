import Foundation
import HakenCore

/// What every form says about the dispatch it is for, as loaded by the app.
public struct FormDispatch: Sendable, Equatable {
    public var id: UUID
    public var businessName: String
    /// The person in charge at the business (REG-1), who signs for it.
    public var contactName: String
    public var expertName: String
    public var institutionName: String
    public var schedule: DispatchSchedule

    public init(id: UUID, businessName: String, contactName: String, expertName: String, institutionName: String, schedule: DispatchSchedule) {
        self.id = id
        self.businessName = businessName
        self.contactName = contactName
        self.expertName = expertName
        self.institutionName = institutionName
        self.schedule = schedule
    }

    /// `DCL-20190821-1A2B3C4D`: the kind of form, the day of the dispatch and the start of its id,
    /// enough for the secretariat to find the dispatch from a paper copy.
    public func reference(_ kind: String) -> String {
        "\(kind)-\(schedule.date.iso.replacingOccurrences(of: "-", with: ""))-\(String(id.uuidString.prefix(8)).uppercased())"
    }

    /// The dispatch's fields, as every form about it prints them first.
    public var fields: [[FormField]] {
        [
            [FormField("支援日", FormDates.day(schedule.date)), FormField("予定時間", "\(schedule.start.hhmm)〜\(schedule.end.hhmm)")],
            [FormField("中小企業者等", businessName), FormField("専門家", expertName)],
            [FormField("支援機関", institutionName), FormField("派遣の番号", reference("D"))],
            [FormField("支援場所", schedule.place)],
        ]
    }
}

/// Dates on paper: 和暦 first, as offices' forms write them, the western year beside it.
public enum FormDates {
    /// `令和元年8月21日(水)`.
    public static func day(_ date: CivilDate) -> String {
        guard let era = JapaneseEra.format(date) else { return JapaneseDateFormat.full(date) }
        return "\(era)(\(date.weekday.japanese))"
    }

    /// `令和元年9月9日`, or the western date before 昭和.
    public static func made(_ date: CivilDate) -> String { JapaneseEra.format(date) ?? JapaneseDateFormat.long(date) }

    /// `2019-09-09T10:30:00+09:00` for the PDF's metadata.
    public static func metadata(_ moment: LocalDateTime) -> String {
        "\(moment.date.iso)T\(moment.time.hhmm):00+09:00"
    }

    /// A moment on a form: `令和元年8月21日 10:52`.
    public static func moment(_ moment: LocalDateTime) -> String { "\(made(moment.date)) \(moment.time.hhmm)" }

    /// The submission date the signer writes by hand.
    public static let blankDate = "令和　　年　　月　　日"
}

/// Every form's made-at line: the same moment in the footer and in the PDF's metadata.
public struct FormMoment: Sendable, Equatable {
    public var local: LocalDateTime
    public init(_ local: LocalDateTime) { self.local = local }
    var madeOn: String { FormDates.made(local.date) }
    var madeAt: String { FormDates.metadata(local) }
}
