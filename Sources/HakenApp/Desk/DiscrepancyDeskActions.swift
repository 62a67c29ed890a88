import Foundation
import HakenCore
import HakenStore
import Vapor

/// #12, DEC-2: a person resolves what the reports say against each other, with a note of what
/// they found (the desk's page and the JSON API).
enum DiscrepancyDeskActions {
    static func resolve(_ id: String?, note: String?, principal: Principal, req: Request) async throws -> Discrepancies.Row {
        guard let id = id.flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("食い違い") }
        let text = (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw APIError.field("note", code: "required", message: "確認した内容を入力してください。")
        }
        guard text.count <= 2000 else {
            throw APIError.field("note", code: "too_long", message: "確認した内容は2000文字以内で入力してください。")
        }
        do {
            return try await Discrepancies.resolve(id, note: text, by: principal.actor, on: req.db, key: req.application.haken.auditKey,
                                                   now: req.application.hakenClock.now())
        } catch Discrepancies.Problem.notFound {
            throw APIError.notFound("食い違い")
        } catch Discrepancies.Problem.alreadyResolved {
            throw APIError(.conflict, code: "already_resolved", reason: "この食い違いは既に確認済みです。")
        }
    }
}
