import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// NOTE-3: the audit log, a dispatch's trail, and the chain verified.
extension DeskAPIController {
    struct AuditItem: Content {
        var seq: Int64
        var at: String
        var actor: String
        var action: String
        var subject: String
        var details: String
    }

    static func auditItems(_ rows: [AuditListing.Row]) -> [AuditItem] {
        rows.map { AuditItem(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject, details: $0.details) }
    }

    /// NOTE-3: the log newest first; `?before=<seq>` pages back.
    static func audit(req: Request) async throws -> [AuditItem] {
        try req.authorize(.manage, .secretariatDesk)
        var before: Int64?
        if let text = req.query[String.self, at: "before"] {
            guard let value = Int64(text), value > 0 else {
                throw APIError.field("before", code: "out_of_range", message: "before は 1 以上の記録番号で指定してください。", status: .badRequest)
            }
            before = value
        }
        let paging = try Paging.from(req, defaultPer: 100, maxPer: 1000)
        return auditItems(try await AuditListing.recent(before: before, limit: paging.per, on: req.db))
    }

    static func dispatchAudit(req: Request) async throws -> [AuditItem] {
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), try await DispatchListing.one(id, on: req.db) != nil else {
            throw APIError.notFound("派遣")
        }
        return auditItems(try await AuditListing.trail(try await AuditListing.subjects(ofDispatch: id, on: req.db), limit: 5000, on: req.db))
    }

    struct AuditStatus: Content {
        var intact: Bool
        var entries: Int
        var problems: [String]
        var anchorSeq: Int64?
        var anchoredAt: String?
    }

    static func verifyAudit(req: Request) async throws -> AuditStatus {
        try req.authorize(.manage, .secretariatDesk)
        let inspection = try await AuditInspection.run(on: req.db, key: req.application.haken.auditKey,
                                                       anchorFile: req.application.haken.configuration.auditKeyFiles.anchorFile)
        return AuditStatus(intact: inspection.intact, entries: inspection.entries, problems: inspection.problems,
                           anchorSeq: inspection.anchor?.seq, anchoredAt: inspection.anchor?.at)
    }
}
