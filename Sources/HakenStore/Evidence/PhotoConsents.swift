import Fluent
import Foundation
import HakenCore
import SQLKit

/// AFT-1: the photo consent register, one row per business and fiscal year. The one writer
/// of consent candidates, for mail (MailBatch) and for the institution's page alike: an
/// accepted consent stays as it is; anything else becomes a candidate for the secretariat.
public enum PhotoConsents {
    /// Records a candidate; false when the year's consent was accepted already.
    @discardableResult
    public static func recordCandidate(businessID: UUID, fiscalYear: FiscalYear, receivedAt: Date, note: String, source: String,
                                       file: String? = nil, mailID: UUID? = nil, on db: Database) async throws -> Bool {
        let existing = try await PhotoConsentModel.query(on: db)
            .filter(\.$business.$id == businessID).filter(\.$fiscalYear == fiscalYear.startYear).first()
        guard existing?.status != EvidenceStatus.accepted.rawValue else { return false }
        let model = existing ?? PhotoConsentModel(businessID: businessID, fiscalYear: fiscalYear, status: .review, receivedAt: receivedAt, note: nil)
        model.status = EvidenceStatus.review.rawValue
        model.receivedAt = receivedAt
        model.note = note
        model.source = source
        if let file { model.filePath = file }
        model.sourceMailID = mailID
        try await model.save(on: db)
        return true
    }

    public static func find(businessID: UUID, fiscalYear: FiscalYear, on db: Database) async throws -> PhotoConsentModel? {
        try await PhotoConsentModel.query(on: db).filter(\.$business.$id == businessID).filter(\.$fiscalYear == fiscalYear.startYear).first()
    }
}

extension PhotoConsents {
    /// A consent with its business's name, for the secretariat's register.
    public struct Listed: Sendable {
        public var consent: PhotoConsentModel
        public var businessName: String
    }

    /// The candidates waiting for the secretariat, oldest first.
    public static func waiting(on db: Database, limit: Int = 200) async throws -> [Listed] {
        let rows = try await PhotoConsentModel.query(on: db).filter(\.$status == EvidenceStatus.review.rawValue)
            .sort(\.$receivedAt).limit(limit).with(\.$business).all()
        return rows.map { Listed(consent: $0, businessName: $0.business.name) }
    }

    public enum DecisionProblem: Error, Equatable { case notWaiting }

    /// AFT-1: the secretariat accepts a candidate (it then covers every dispatch of that
    /// business's fiscal year) or rejects it with the reason; audited (NOTE-3).
    public static func decide(_ id: UUID, accept: Bool, reason: String?, by actor: String, on db: Database, key: AuditKey, now: Date) async throws {
        try await db.hakenTransaction { tx in
            guard let consent = try await PhotoConsentModel.find(id, on: tx), consent.status == EvidenceStatus.review.rawValue else {
                throw DecisionProblem.notWaiting
            }
            consent.status = (accept ? EvidenceStatus.accepted : .rejected).rawValue
            consent.note = accept ? "事務局が確認（受理）" : "事務局が不受理: \(reason ?? "")"
            try await consent.save(on: tx)
            var details = ["fiscalYear": String(consent.fiscalYear), "source": consent.source ?? "mail"]
            details["reason"] = reason
            try await AuditLog.append(.init(actor: actor, action: accept ? "consent.accept" : "consent.reject",
                                            subject: AuditLog.subject("business", consent.$business.id), details: details), on: tx, key: key, now: now)
        }
    }
}

extension PhotoConsents {
    /// One row of the register (AFT-1): a business's consent for one fiscal year.
    public struct Entry: Sendable {
        public var id: UUID
        public var businessID: UUID
        public var businessName: String
        public var fiscalYear: Int
        public var status: EvidenceStatus
        public var receivedAt: Date?
        public var source: String
        public var note: String?
        public var filePath: String?
        public var mailID: UUID?

        /// How it reached the secretariat, as the register says it.
        public var sourceName: String {
            switch source {
            case "institution": return "支援機関から（スキャン）"
            case "post": return "郵送（事業者から）"
            case "post-institution": return "郵送（支援機関から）"
            default: return "メールで"
            }
        }
    }

    /// The whole register, or one fiscal year's, by business name.
    public static func register(fiscalYear: Int? = nil, on db: Database) async throws -> [Entry] {
        var query: SQLQueryString = """
            SELECT c.id, c.business_id, b.name AS business_name, c.fiscal_year, c.status, c.received_at, c.source, c.note, c.file_path,
                   c.source_mail_id
            FROM photo_consents c JOIN businesses b ON b.id = c.business_id
            """
        if let fiscalYear { query += " WHERE c.fiscal_year = \(bind: fiscalYear)" }
        query += " ORDER BY c.fiscal_year DESC, b.name, c.id"
        return try await db.sql().raw(query).all().map { row in
            Entry(id: try row.decode(column: "id", as: UUID.self), businessID: try row.decode(column: "business_id", as: UUID.self),
                  businessName: try row.decode(column: "business_name", as: String.self), fiscalYear: try row.decode(column: "fiscal_year", as: Int.self),
                  status: EvidenceStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .review,
                  receivedAt: try row.decode(column: "received_at", as: Date?.self), source: try row.decode(column: "source", as: String?.self) ?? "mail",
                  note: try row.decode(column: "note", as: String?.self), filePath: try row.decode(column: "file_path", as: String?.self),
                  mailID: try row.decode(column: "source_mail_id", as: UUID?.self))
        }
    }

    public enum PostProblem: Error, Equatable { case alreadyAccepted }

    /// AFT-1: the paper original arrived by post: recorded by hand with the day it arrived, and
    /// accepted at once (the secretariat holds the signed paper) — through the one candidate
    /// writer and the one decision, audited.
    public static func recordByPost(businessID: UUID, receivedOn: CivilDate, fromInstitution: Bool, note: String?, by actor: String,
                                    on db: Database, key: AuditKey, now: Date) async throws {
        let year = FiscalYear(containing: receivedOn)
        let arrived = Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: receivedOn, time: BusinessCalendar.opening)))
        try await db.hakenTransaction { tx in
            let text = "郵送で受領（\(JapaneseDateFormat.monthDayWeekday(receivedOn))着）" + (note.map { "。\($0)" } ?? "")
            guard try await recordCandidate(businessID: businessID, fiscalYear: year, receivedAt: arrived, note: text,
                                            source: fromInstitution ? "post-institution" : "post", on: tx),
                  let consent = try await find(businessID: businessID, fiscalYear: year, on: tx), let id = consent.id else {
                throw PostProblem.alreadyAccepted
            }
            try await decide(id, accept: true, reason: nil, by: actor, on: tx, key: key, now: now)
        }
    }
}
