import Foundation
import HakenCore
import HakenStore
import Vapor

/// NOTE-3: `/desk/audit`, the audit log newest first with the chain's status, and
/// `/desk/dispatches/:id/audit`, one dispatch's trail (its entries and its mails').
/// Verifying the whole chain reads every entry, so it runs when asked (`POST /desk/audit/verify`).
enum AuditPageController {
    struct Entry: Encodable {
        var seq: String
        var at: String
        var actor: String
        var action: String
        var subject: String
        var details: String
    }

    static func entry(_ row: AuditListing.Row) -> Entry {
        Entry(seq: String(row.seq), at: AuditText.at(row.at), actor: row.actor, action: AuditText.action(row.action), subject: row.subject,
              details: AuditText.details(row.details))
    }

    struct Page: Encodable {
        @OmitEmpty var entries: [Entry]
        var head: String
        var anchor: String
        var older: String?
        var dispatch: String?
        var title: String
        var csv: String
    }

    static let pageSize = 100

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let before = req.query[Int64.self, at: "before"]
        let rows = try await AuditListing.recent(before: before, limit: pageSize, on: req.db)
        return try await req.page("desk-audit", title: "監査ログ", try await page(req, rows: rows, dispatch: nil,
                                                                               older: rows.count == pageSize ? rows.last.map { "/desk/audit?before=\($0.seq)" } : nil))
    }

    static func dispatch(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let dispatch = try await DispatchListing.one(id, on: req.db) else {
            throw APIError.notFound("派遣")
        }
        let rows = try await AuditListing.trail(try await AuditListing.subjects(ofDispatch: id, on: req.db), limit: 2000, on: req.db)
        let label = "\(CivilDate(iso: dispatch.date).map(JapaneseDateFormat.monthDayWeekday) ?? dispatch.date) \(dispatch.businessName ?? "") / \(dispatch.expertName ?? "")"
        return try await req.page("desk-audit", title: "監査ログ（派遣）", try await page(req, rows: rows, dispatch: label, older: nil))
    }

    static func page(_ req: Request, rows: [AuditListing.Row], dispatch: String?, older: String?) async throws -> Page {
        let head = try await AuditLog.head(on: req.db)
        let anchor = AuditAnchors.last(in: req.application.haken.configuration.auditKeyFiles.anchorFile)
        return Page(entries: rows.map(entry), head: head.map { "第\($0.seq)件（\($0.mac.prefix(16))…）" } ?? "記録なし",
                    anchor: anchor.map { "第\($0.seq)件まで（\($0.at)に署名）" } ?? "まだありません",
                    older: older, dispatch: dispatch, title: dispatch == nil ? "監査ログ" : "監査ログ（派遣）",
                    csv: dispatch == nil ? "/desk/audit.csv" : "\(req.url.path).csv")
    }

    /// Runs the full check (`hakendesk audit verify` does the same) and says what it found.
    static func verify(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let inspection = try await AuditInspection.run(on: req.db, key: req.application.haken.auditKey,
                                                       anchorFile: req.application.haken.configuration.auditKeyFiles.anchorFile)
        let message = inspection.intact
            ? "監査ログは改ざんされていません（\(inspection.entries)件を検証、チェーンと署名済みアンカーが一致）。"
            : "監査ログに問題があります: " + inspection.problems.joined(separator: " / ")
        return req.seeOther("/desk/audit", flash: message)
    }

    /// `/desk/audit.csv` (the newest 100,000 entries) and `/desk/dispatches/:id/audit.csv`.
    static func csv(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let rows: [AuditListing.Row]
        if let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) {
            rows = try await AuditListing.trail(try await AuditListing.subjects(ofDispatch: id, on: req.db), limit: CSVExport.maxRows, on: req.db)
        } else {
            rows = try await AuditListing.recent(before: req.query[Int64.self, at: "before"], limit: CSVExport.maxRows, on: req.db)
        }
        return try CSVExport.response(req, name: "監査ログ", ascii: "audit", header: ["番号", "日時", "実行者", "操作", "対象", "内容"],
                                      rows: rows.map { [String($0.seq), JapaneseDateFormat.slashed(stamp: $0.at), $0.actor, AuditText.action($0.action), $0.subject,
                                                        AuditText.details($0.details)] })
    }
}
