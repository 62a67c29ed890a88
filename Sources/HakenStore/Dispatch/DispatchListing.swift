import Fluent
import Foundation
import HakenCore
import SQLKit

/// A dispatch as lists and pages show it: its columns, and the names of its business and
/// expert when the listing joined them. Plain SQL rows: decoding Fluent models by reflection
/// was most of a list page's time (docs/benchmarks.md).
public struct DispatchRow: Sendable, Equatable {
    public var id: UUID
    public var businessID: UUID
    public var expertID: UUID
    public var institutionID: UUID
    public var consultationID: UUID?
    public var date: String
    public var startTime: String
    public var endTime: String
    public var place: String
    public var deadline: String
    public var cancelled: Bool
    public var businessName: String?
    public var expertName: String?
    public var institutionName: String?
    /// CON-5: why it was cancelled (read by `one`, the dispatch's page).
    public var cancelReason: String?
    /// NOTE-2: confirmed outside the programme by a person.
    public var outsideConfirmed: Bool
    /// #13: reschedules and cancellations so far (read by the calendar feed).
    public var revision: Int = 0

    public init(_ model: DispatchModel) throws {
        id = try model.requireID()
        businessID = model.$business.id
        expertID = model.$expert.id
        institutionID = model.$institution.id
        consultationID = model.$consultation.id
        date = model.date
        startTime = model.startTime
        endTime = model.endTime
        place = model.place
        deadline = model.deadline
        cancelled = model.cancelled
        cancelReason = model.cancelReason
        outsideConfirmed = model.outsideConfirmedAt != nil
        revision = model.revision
    }

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        businessID = try row.decode(column: "business_id", as: UUID.self)
        expertID = try row.decode(column: "expert_id", as: UUID.self)
        institutionID = try row.decode(column: "institution_id", as: UUID.self)
        consultationID = try row.decode(column: "consultation_id", as: UUID?.self)
        date = try row.decode(column: "date", as: String.self)
        startTime = try row.decode(column: "start_time", as: String.self)
        endTime = try row.decode(column: "end_time", as: String.self)
        place = try row.decode(column: "place", as: String.self)
        deadline = try row.decode(column: "deadline", as: String.self)
        cancelled = try row.decode(column: "cancelled", as: Bool.self)
        businessName = try row.decode(column: "business_name", as: String?.self)
        expertName = try row.decode(column: "expert_name", as: String?.self)
        institutionName = try row.contains(column: "institution_name") ? row.decode(column: "institution_name", as: String?.self) : nil
        cancelReason = try row.contains(column: "cancel_reason") ? row.decode(column: "cancel_reason", as: String?.self) : nil
        outsideConfirmed = try row.contains(column: "outside_confirmed_at") ? row.decode(column: "outside_confirmed_at", as: Date?.self) != nil : false
        revision = try row.contains(column: "revision") ? row.decode(column: "revision", as: Int.self) : 0
    }

    /// The schedule as the domain sees it; a row changed by hand into something unreadable
    /// is an error for this request, never a crash.
    public func schedule() throws -> DispatchSchedule {
        try DispatchSchedule.stored(date: date, start: startTime, end: endTime, place: place, dispatch: id)
    }

    public var parties: AccessPolicy.DispatchParties {
        AccessPolicy.DispatchParties(business: businessID, institution: institutionID, expert: expertID)
    }
}

/// Each role's dispatch list (newest day first), counted and paged by the indexes on
/// (party, date): one query for the page with the business's and expert's names joined.
public enum DispatchListing {
    /// Whose dispatches: the permission policy's `.read` as a filter (AccessPolicy).
    public enum Scope: Sendable, Equatable {
        case all
        case business(UUID)
        case institution(UUID)
        case expert(UUID)

        var filter: (column: String, id: UUID)? {
            switch self {
            case .all: return nil
            case .business(let id): return ("business_id", id)
            case .institution(let id): return ("institution_id", id)
            case .expert(let id): return ("expert_id", id)
            }
        }
    }

    public static func count(_ scope: Scope, on db: Database) async throws -> Int {
        let sql = try db.sql()
        let query: SQLQueryString = scope.filter.map { "SELECT COUNT(*) AS n FROM dispatches WHERE \(ident: $0.column) = \(bind: $0.id)" }
            ?? "SELECT COUNT(*) AS n FROM dispatches"
        return try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// One dispatch with its three parties' names (its page), or nil.
    public static func one(_ id: UUID, on db: Database) async throws -> DispatchRow? {
        try await db.sql().raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.cancel_reason, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name, i.name AS institution_name
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
                 JOIN institutions i ON i.id = d.institution_id
            WHERE d.id = \(bind: id)
            """).first().map(DispatchRow.init(row:))
    }

    public static func page(_ scope: Scope, offset: Int, limit: Int, on db: Database) async throws -> [DispatchRow] {
        let select: SQLQueryString = """
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
            """
        let query: SQLQueryString = scope.filter.map {
            select + " WHERE d.\(ident: $0.column) = \(bind: $0.id) ORDER BY d.date DESC, d.start_time LIMIT \(bind: limit) OFFSET \(bind: offset)"
        } ?? select + " ORDER BY d.date DESC, d.start_time LIMIT \(bind: limit) OFFSET \(bind: offset)"
        return try await db.sql().raw(query).all().map(DispatchRow.init(row:))
    }
}

extension DispatchListing {
    /// A party's dispatches from `day` on, by day (cancelled ones too: a calendar feed must tell
    /// of it), with the three parties' names and the revision (#13).
    public static func onwards(_ scope: Scope, from day: CivilDate, limit: Int, on db: Database) async throws -> [DispatchRow] {
        let select: SQLQueryString = """
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.revision, b.name AS business_name, e.name AS expert_name, i.name AS institution_name
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
                 JOIN institutions i ON i.id = d.institution_id
            WHERE d.date >= \(bind: day.iso)
            """
        let filtered: SQLQueryString = scope.filter.map { select + " AND d.\(ident: $0.column) = \(bind: $0.id)" } ?? select
        return try await db.sql().raw(filtered + " ORDER BY d.date, d.start_time LIMIT \(bind: limit)").all().map(DispatchRow.init(row:))
    }

    /// A fiscal year's dispatches, by day, a page at a time, with the institution's name.
    public static func inYear(_ year: FiscalYear, offset: Int, limit: Int, on db: Database) async throws -> [DispatchRow] {
        try await db.sql().raw("""
            SELECT d.id, d.business_id, d.expert_id, d.institution_id, d.consultation_id, d.date, d.start_time, d.end_time, d.place,
                   d.deadline, d.cancelled, d.outside_confirmed_at, b.name AS business_name, e.name AS expert_name, i.name AS institution_name
            FROM dispatches d JOIN businesses b ON b.id = d.business_id JOIN experts e ON e.id = d.expert_id
                 JOIN institutions i ON i.id = d.institution_id
            WHERE d.date >= \(bind: year.firstDay.iso) AND d.date <= \(bind: year.lastDay.iso)
            ORDER BY d.date, d.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(DispatchRow.init(row:))
    }
}

extension DispatchSchedule {
    /// A schedule as stored (text columns), or an error naming the dispatch.
    static func stored(date: String, start: String, end: String, place: String, dispatch id: UUID?) throws -> DispatchSchedule {
        guard let day = CivilDate(iso: date), let startTime = TimeOfDay(hhmm: start), let endTime = TimeOfDay(hhmm: end) else {
            throw StoredValueError(what: "dispatch \(id?.uuidString.lowercased() ?? "-") date/time")
        }
        return DispatchSchedule(date: day, start: startTime, end: endTime, place: place)
    }
}
