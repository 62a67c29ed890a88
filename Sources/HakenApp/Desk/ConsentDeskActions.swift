import Foundation
import HakenCore
import HakenStore
import Vapor

/// AFT-1: the consent register's actions (the desk's page and the JSON API): decide a
/// candidate, record a paper original that came by post.
enum ConsentDeskActions {
    struct DecisionInput: Content {
        /// `accept` or `reject`.
        var decision: String?
        var reason: String?
    }

    static func decide(_ input: DecisionInput, id: String?, principal: Principal, req: Request) async throws -> Bool {
        guard let id = id.flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("同意書") }
        let accept: Bool
        switch input.decision {
        case "accept": accept = true
        case "reject": accept = false
        default: throw APIError.field("decision", code: "required", message: "受理するか不受理とするかを選んでください。")
        }
        let reason = (input.reason ?? "").trimmingWhitespace
        if !accept && reason.isEmpty { throw APIError.field("reason", code: "required", message: "不受理にするときは理由を入力してください。") }
        guard reason.unicodeScalars.count <= MailRuling.reasonLimit else {
            throw APIError.field("reason", code: "too_long", message: MailRuling.Refusal.reasonTooLong.message)
        }
        guard try await PhotoConsentModel.find(id, on: req.db) != nil else { throw APIError.notFound("同意書") }
        do {
            try await PhotoConsents.decide(id, accept: accept, reason: reason.isEmpty ? nil : reason, by: principal.actor,
                                           on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch PhotoConsents.DecisionProblem.notWaiting {
            throw APIError(.conflict, code: "already_decided", reason: "この同意書は既に確認済みです。")
        }
        return accept
    }

    struct PostInput: Content {
        /// The business: its id, its registered address, or its exact name.
        var business: String?
        var receivedOn: String?
        /// `business` or `institution`.
        var from: String?
        var note: String?
    }

    /// Records the paper original (accepted on the spot); returns the business's name and the fiscal year.
    static func recordByPost(_ input: PostInput, principal: Principal, req: Request) async throws -> (business: String, year: FiscalYear) {
        var check = FieldChecker()
        let text = check.required(input.business, field: "business", label: "事業者（名前・登録メールアドレス・ID）")
        let dayText = check.required(input.receivedOn, field: "receivedOn", label: "到着日")
        let today = req.application.hakenClock.today
        var day: CivilDate?
        if !dayText.isEmpty {
            if let parsed = CivilDate(iso: dayText), parsed <= today, parsed.year >= today.year - 2 {
                day = parsed
            } else {
                check.add(FieldError(field: "receivedOn", code: "invalid_date", message: "到着日は、今日までの2年以内の日付を 2026-12-01 の形で入力してください。"))
            }
        }
        if input.from != nil && input.from != "business" && input.from != "institution" {
            check.add(FieldError(field: "from", code: "invalid_choice", message: "差出人は事業者か支援機関を選んでください。"))
        }
        let note = check.optional(input.note, field: "note", label: "メモ", maxLength: MailRuling.reasonLimit)
        var business: (id: UUID, name: String)?
        if !text.isEmpty {
            let found = try await BusinessLookup.matching(text, on: req.db)
            switch found.count {
            case 1: business = found.first
            case 0: check.add(FieldError(field: "business", code: "not_found", message: "「\(text)」に当たる事業者が見つかりません。"))
            default:
                check.add(FieldError(field: "business", code: "ambiguous",
                                     message: "「\(text)」に当たる事業者が\(found.count)件あります。登録メールアドレスで指定してください。"))
            }
        }
        try check.finish()
        guard let business, let day else { throw ValidationFailure([.required("business", label: "事業者")]) }
        do {
            try await PhotoConsents.recordByPost(businessID: business.id, receivedOn: day, fromInstitution: input.from == "institution", note: note,
                                                 by: principal.actor, on: req.db, key: req.application.haken.auditKey,
                                                 now: req.application.hakenClock.now())
        } catch PhotoConsents.PostProblem.alreadyAccepted {
            throw APIError(.conflict, code: "already_accepted",
                           reason: "\(business.name)の\(FiscalYear(containing: day).label)の同意書は既に受理されています。")
        }
        return (business.name, FiscalYear(containing: day))
    }
}
