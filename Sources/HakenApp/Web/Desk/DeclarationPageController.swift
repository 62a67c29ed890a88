import Foundation
import HakenCore
import HakenStore
import Vapor

/// `/desk/dispatches/:id/declarations` (DAY-4, DAY-7): what the dispatch needs a declaration
/// for, the declarations recorded, and the form to record one (a scan uploaded or taken from a
/// mail, or the paper original with the day it arrived; the three seals; accept or reject).
enum DeclarationPageController {
    struct Needed: Encodable {
        var name: String
        var covers: String
    }

    struct Recorded: Encodable {
        var variant: String
        var covers: String
        var receipt: String
        var seals: String
        var decision: String
        var note: String
        var by: String
    }

    struct Choice: Encodable {
        var value: String
        var label: String
        var checked: Bool
    }

    struct Page: Encodable {
        var id: String
        var label: String
        var state: String
        var needed: [Needed]
        var settled: Bool
        var recorded: [Recorded]
        var variants: [Choice]
        var covers: [Choice]
        var mailId: String
        var form: FormState
        /// #13: each variant printed pre-filled, to send to the parties.
        var printable: [FormLink]
    }

    static func page(_ req: Request, standing: DeclarationDeskActions.Standing, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let schedule = try standing.dispatch.schedule()
        let values = form.values
        let firstNeeded = standing.required.first
        let page = Page(
            id: standing.dispatch.id.apiString,
            label: "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm) \(standing.dispatch.businessName ?? "") / \(standing.dispatch.expertName ?? "")",
            state: standing.assessment.state.japaneseName,
            needed: standing.required.map { Needed(name: $0.0.japaneseName, covers: $0.1.map(\.japaneseName).joined(separator: "・")) },
            settled: standing.facts.evidence.status(.declaration) == .accepted,
            recorded: standing.recorded.map { stored in
                let record = stored.record
                let receipt: String
                switch record.receipt {
                case .scan: receipt = "スキャン"
                case .paper(let day): receipt = "原本（\(JapaneseDateFormat.monthDayWeekday(day))着）"
                }
                let seals = [("担当者", record.sealedByBusiness), ("専門家", record.sealedByExpert), ("支援機関", record.sealedByInstitution)]
                    .map { "\($0.0)\($0.1 ? "○" : "×")" }.joined(separator: " ")
                return Recorded(variant: record.variant.japaneseName, covers: record.covers.map(\.japaneseName).joined(separator: "・"),
                                receipt: receipt, seals: seals, decision: record.accepted ? "受理" : "不受理", note: record.note ?? "",
                                by: "\(DeskLinks.time(stored.recordedAt))（\(stored.recordedBy)）")
            },
            variants: DeclarationVariant.allCases.map { variant in
                Choice(value: variant.rawValue, label: variant.japaneseName,
                       checked: (values["variant"].map { $0 == variant.rawValue }) ?? (firstNeeded?.0 == variant))
            },
            covers: [EvidenceKind.startReport, .endReport, .photo].map { kind in
                Choice(value: kind.rawValue, label: kind.japaneseName,
                       checked: values["covers"].map { $0.split(separator: ",").contains(Substring(kind.rawValue)) }
                           ?? (firstNeeded?.1.contains(kind) ?? false))
            },
            mailId: values["mailId"] ?? req.query[String.self, at: "mail"] ?? "", form: form,
            printable: FormLinks.declarations(standing.dispatch.id))
        return try await req.page("desk-declarations", title: "支援実施申告書の記録", page, status: status)
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        return try await page(req, standing: try await DeclarationDeskActions.standing(req, id: req.parameters.get("id")), form: FormState())
    }

    static let order = ["variant", "covers", "receipt", "file", "receivedOn", "seals", "decision", "note"]

    static func record(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let standing = try await DeclarationDeskActions.standing(req, id: req.parameters.get("id"))
        func text(_ name: String) -> String? { try? req.content.get(String.self, at: name) }
        func flag(_ name: String) -> Bool { text(name) == "on" || text(name) == "true" }
        let covers = (try? req.content.get([String].self, at: "covers")) ?? text("covers").map { [$0] } ?? []
        let input = DeclarationDeskActions.RecordInput(variant: text("variant"), covers: covers, receipt: text("receipt"), receivedOn: text("receivedOn"),
                                                       sealedByBusiness: flag("sealedByBusiness"), sealedByExpert: flag("sealedByExpert"),
                                                       sealedByInstitution: flag("sealedByInstitution"), decision: text("decision"),
                                                       note: text("note"), mailId: text("mailId"))
        var values = req.formValues(["variant", "receipt", "receivedOn", "decision", "note", "mailId"])
        values["covers"] = covers.joined(separator: ",")
        var upload: UploadedFile?
        if input.receipt == "scan", (input.mailId ?? "").isEmpty {
            switch UploadedFile.read(req, field: "file", acceptPDF: true,
                                     wording: .init(missing: "申告書のスキャン（PDF・画像）を添付してください。",
                                                    tooLarge: "ファイルが大きすぎます（10MBまで）。", wrongKind: "PDF・JPEG・PNG・HEIC のファイルを添付してください。")) {
            case .success(let file): upload = file
            case .failure(let error):
                return try await page(req, standing: standing, form: FormState(values: values, failure: ValidationFailure([error]), order: order),
                                      status: .unprocessableEntity)
            }
        }
        do {
            let settled = try await DeclarationDeskActions.record(input, upload: upload, standing: standing, principal: principal, req: req)
            let message = input.decision == "accept"
                ? (settled ? "申告書を受理しました。必要な申告書がそろいました。" : "申告書を受理しました。ほかにも必要な申告書があります。")
                : "申告書を不受理として記録し、事業者に理由を伝えました。"
            return req.seeOther("/desk/dispatches/\(standing.dispatch.id.apiString)/declarations", flash: message)
        } catch {
            guard let (failure, status) = formFailure(error) else { throw error }
            return try await page(req, standing: standing, form: FormState(values: values, failure: failure, order: order), status: status)
        }
    }
}
