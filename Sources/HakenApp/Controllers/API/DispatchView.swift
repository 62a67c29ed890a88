import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// What `GET /api/v1/dispatches/{id}` answers: the schedule, each evidence item, and the
/// derived state (DispatchRules) with what is still outstanding.
struct DispatchView: Content {
    struct Item: Content {
        var status: String
        /// 未提出, 受理, …
        var label: String
        /// Whether this dispatch needs the item (the declaration only when a report or the photo failed).
        var required: Bool
        var receivedAt: Date?
        var note: String?
    }

    struct Evidence: Content {
        var startReport: Item
        var endReport: Item
        var photo: Item
        var photoConsent: Item
        var declaration: Item
        var expertReport: Item
        var certification: Item
    }

    var id: String
    var state: String
    var stateLabel: String
    var paymentEligible: Bool
    var businessId: String
    var expertId: String
    var institutionId: String
    var consultationId: String?
    var date: String
    /// `8月21日(水)`.
    var dateLabel: String
    var start: String
    var end: String
    var place: String
    var deadline: String
    /// `2019年度`, and its era name `令和元年度`.
    var fiscalYear: String
    var fiscalYearEra: String
    var evidence: Evidence
    var outstanding: [String]
    var declarationRequiredFor: [String]

    static func make(_ dispatch: DispatchModel, today: CivilDate, on db: Database) async throws -> [DispatchView] {
        try await make([DispatchRow(dispatch)], today: today, on: db)
    }

    /// A page of them with their evidence read in two queries (one reads the same way: the
    /// same rows give the state and the notes shown).
    static func make(_ dispatches: [DispatchRow], today: CivilDate, on db: Database) async throws -> [DispatchView] {
        let records = try await DispatchRecords.records(for: dispatches, on: db)
        return try dispatches.compactMap { dispatch in try records[dispatch.id].map { try make(dispatch, record: $0, today: today) } }
    }

    static func make(_ dispatch: DispatchRow, record: DispatchRecords.Record, today: CivilDate) throws -> DispatchView {
        let (facts, rows, consent) = (record.facts, record.rows, record.consent)
        let assessment = DispatchRules.assess(facts, today: today)

        func item(_ kind: EvidenceKind) -> Item {
            let status = facts.evidence.status(kind)
            let required = kind == .declaration ? assessment.declarationRequired : true
            var receivedAt: Date?
            var note: String?
            if kind == .photoConsent {
                receivedAt = consent?.receivedAt
                note = consent?.note
            } else if let row = rows.first(where: { $0.kind == kind.rawValue }) {
                receivedAt = row.receivedAt
                note = row.note
            }
            return Item(status: status.rawValue, label: status.japaneseName, required: required, receivedAt: receivedAt, note: note)
        }

        let schedule = try dispatch.schedule()
        return DispatchView(
            id: dispatch.id.apiString,
            state: assessment.state.rawValue,
            stateLabel: assessment.state.japaneseName,
            paymentEligible: assessment.paymentEligible,
            businessId: dispatch.businessID.apiString,
            expertId: dispatch.expertID.apiString,
            institutionId: dispatch.institutionID.apiString,
            consultationId: dispatch.consultationID?.apiString,
            date: schedule.date.iso,
            dateLabel: JapaneseDateFormat.monthDayWeekday(schedule.date),
            start: schedule.start.hhmm,
            end: schedule.end.hhmm,
            place: schedule.place,
            deadline: dispatch.deadline,
            fiscalYear: FiscalYear(containing: schedule.date).label,
            fiscalYearEra: FiscalYear(containing: schedule.date).eraLabel,
            evidence: Evidence(startReport: item(.startReport), endReport: item(.endReport), photo: item(.photo),
                               photoConsent: item(.photoConsent), declaration: item(.declaration),
                               expertReport: item(.expertReport), certification: item(.certification)),
            outstanding: assessment.outstanding.map(\.rawValue),
            declarationRequiredFor: assessment.needsDeclarationFor.map(\.rawValue)
        )
    }
}
