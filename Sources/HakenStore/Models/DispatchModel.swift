import Fluent
import Foundation
import HakenCore

/// 専門家派遣: one visit of an expert to a business on one day (CON-3…CON-5).
/// Its state is not stored: it is derived from the evidence each time (DispatchRules).
public final class DispatchModel: Model, @unchecked Sendable {
    public static let schema = "dispatches"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "business_id") public var business: BusinessModel
    @Parent(key: "expert_id") public var expert: ExpertModel
    @Parent(key: "institution_id") public var institution: InstitutionModel
    @OptionalParent(key: "consultation_id") public var consultation: ConsultationModel?
    /// `YYYY-MM-DD` on the Tokyo calendar; text so both databases sort and compare it alike.
    @Field(key: "date") public var date: String
    @Field(key: "start_time") public var startTime: String
    @Field(key: "end_time") public var endTime: String
    @Field(key: "place") public var place: String
    @Field(key: "deadline") public var deadline: String
    @Field(key: "cancelled") public var cancelled: Bool
    /// CON-5: why it was cancelled (shown to its parties).
    @OptionalField(key: "cancel_reason") public var cancelReason: String?
    /// NOTE-2: when a person confirmed it outside the programme (the reason is in `outside_reason`).
    @OptionalField(key: "outside_confirmed_at") public var outsideConfirmedAt: Date?
    /// #13: raised by every reschedule or cancellation; calendar feeds send it as SEQUENCE.
    @Field(key: "revision") public var revision: Int
    @Children(for: \.$dispatch) public var evidence: [EvidenceModel]
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(businessID: UUID, expertID: UUID, institutionID: UUID, schedule: DispatchSchedule, deadline: CivilDate? = nil) {
        self.$business.id = businessID
        self.$expert.id = expertID
        self.$institution.id = institutionID
        self.date = schedule.date.iso
        self.startTime = schedule.start.hhmm
        self.endTime = schedule.end.hhmm
        self.place = schedule.place
        self.deadline = (deadline ?? DispatchDeadline.standard(for: schedule.date)).iso
        self.cancelled = false
        self.revision = 0
    }

    /// Marks a change of schedule or a cancellation for calendar subscribers (bounded, never traps).
    public func revise() {
        revision = revision < Int(Int32.max) ? revision + 1 : revision
    }

    /// The schedule as the domain sees it. A row whose date or times do not read (written by
    /// hand into the database) is an error for this request, never a crash.
    public func schedule() throws -> DispatchSchedule {
        try DispatchSchedule.stored(date: date, start: startTime, end: endTime, place: place, dispatch: id)
    }

    public func fiscalYear() throws -> FiscalYear { FiscalYear(containing: try schedule().date) }
}

/// One received item of a dispatch's checklist. An item with no row is `missing`.
public final class EvidenceModel: Model, @unchecked Sendable {
    public static let schema = "evidence"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "dispatch_id") public var dispatch: DispatchModel
    @Field(key: "kind") public var kind: String
    @Field(key: "status") public var status: String
    @OptionalField(key: "received_at") public var receivedAt: Date?
    /// Why it has this status, for the people who read it (Japanese).
    @OptionalField(key: "note") public var note: String?
    @OptionalField(key: "source_mail_id") public var sourceMailID: UUID?
    /// A photo's file in the blob store.
    @OptionalField(key: "file_path") public var filePath: String?
    /// DEC-11: `SenderTrust` of whoever sent it; nil on rows older than the column (read as registered).
    @OptionalField(key: "trust") public var trust: String?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(dispatchID: UUID, kind: EvidenceKind, status: EvidenceStatus, receivedAt: Date?, note: String?) {
        self.$dispatch.id = dispatchID
        self.kind = kind.rawValue
        self.status = status.rawValue
        self.receivedAt = receivedAt
        self.note = note
    }
}

/// 写真提出の同意書 (AFT-1): once per fiscal year per business, shared by that year's dispatches.
public final class PhotoConsentModel: Model, @unchecked Sendable {
    public static let schema = "photo_consents"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "business_id") public var business: BusinessModel
    @Field(key: "fiscal_year") public var fiscalYear: Int
    @Field(key: "status") public var status: String
    @OptionalField(key: "received_at") public var receivedAt: Date?
    @OptionalField(key: "note") public var note: String?
    /// The scan or PDF in the blob store, when it came through a page.
    @OptionalField(key: "file_path") public var filePath: String?
    /// `mail`, `institution` (its page), `post` (recorded by the secretariat).
    @OptionalField(key: "source") public var source: String?
    /// AFT-1: the mail it came in (its PDF is that mail's attachment).
    @OptionalField(key: "source_mail_id") public var sourceMailID: UUID?

    public init() {}

    public init(businessID: UUID, fiscalYear: FiscalYear, status: EvidenceStatus, receivedAt: Date?, note: String?) {
        self.$business.id = businessID
        self.fiscalYear = fiscalYear.startYear
        self.status = status.rawValue
        self.receivedAt = receivedAt
        self.note = note
    }
}

extension DispatchModel {
    /// Its three parties, as the permission policy sees them.
    public var parties: AccessPolicy.DispatchParties {
        AccessPolicy.DispatchParties(business: $business.id, institution: $institution.id, expert: $expert.id)
    }
}
