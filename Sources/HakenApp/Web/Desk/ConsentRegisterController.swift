import Fluent
import HakenCore
import HakenStore
import Vapor

/// AFT-1: `/desk/consents`, the photo-consent register by business and fiscal year (1 April
/// boundary): the candidates waiting (mailed PDFs — the mail is linked — and scans an
/// institution sent) to accept or reject with a reason, the paper originals that came by post
/// recorded by hand with the day they arrived, and the whole register of a fiscal year.
enum ConsentRegisterController {
    struct Row: Encodable {
        var id: String
        var business: String
        var year: String
        var received: String
        var source: String
        var note: String
        var file: String?
        var mail: String?
        var status: String
    }

    struct YearOption: Encodable {
        var value: Int
        var label: String
        var selected: Bool
    }

    struct Page: Encodable {
        @OmitEmpty var rows: [Row]
        @OmitEmpty var register: [Row]
        var years: [YearOption]
        var year: Int
        var form: FormState
    }

    static func row(_ entry: PhotoConsents.Entry) -> Row {
        let year = FiscalYear(startYear: entry.fiscalYear)
        return Row(id: entry.id.apiString, business: entry.businessName, year: "\(year.label)（\(year.eraLabel)）", received: DeskLinks.time(entry.receivedAt),
                   source: entry.sourceName, note: entry.note ?? "", file: entry.filePath == nil ? nil : "/desk/consents/\(entry.id.apiString)/file",
                   mail: entry.mailID.map { "/desk/mail/\($0.apiString)" }, status: entry.status.japaneseName)
    }

    static func page(_ req: Request, form: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let current = FiscalYear(containing: req.application.hakenClock.today).startYear
        let chosen = req.query[Int.self, at: "year"].flatMap { (current - 10...current + 1).contains($0) ? $0 : nil } ?? current
        let waiting = try await PhotoConsents.register(on: req.db).filter { $0.status == .review }.map(row)
        let register = try await PhotoConsents.register(fiscalYear: chosen, on: req.db).map(row)
        let years = (current - 5...current).reversed().map { YearOption(value: $0, label: FiscalYear(startYear: $0).label, selected: $0 == chosen) }
        return try await req.page("desk-consents", title: "写真提出の同意書", Page(rows: waiting, register: register, years: years, year: chosen, form: form),
                                  status: status)
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        return try await page(req, form: FormState())
    }

    static func decide(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = ConsentDeskActions.DecisionInput(decision: try? req.content.get(String.self, at: "decision"),
                                                     reason: try? req.content.get(String.self, at: "reason"))
        do {
            let accepted = try await ConsentDeskActions.decide(input, id: req.parameters.get("id"), principal: principal, req: req)
            return req.seeOther("/desk/consents", flash: accepted ? "同意書を受理しました。" : "同意書を不受理にしました。")
        } catch let error as APIError where error.status != .notFound {
            return req.seeOther("/desk/consents", flash: error.reason)
        }
    }

    static func recordByPost(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let values = req.formValues(["business", "receivedOn", "from", "note"])
        let input = ConsentDeskActions.PostInput(business: values["business"], receivedOn: values["receivedOn"], from: values["from"], note: values["note"])
        do {
            let done = try await ConsentDeskActions.recordByPost(input, principal: principal, req: req)
            return req.seeOther("/desk/consents?year=\(done.year.startYear)", flash: "\(done.business)の\(done.year.label)の同意書（郵送）を受理として記録しました。")
        } catch {
            guard let (failure, status) = formFailure(error) else {
                if let api = error as? APIError { return req.seeOther("/desk/consents", flash: api.reason) }
                throw error
            }
            return try await page(req, form: FormState(values: values, failure: failure, order: ["business", "receivedOn", "from", "note"]), status: status)
        }
    }

    /// The scan or PDF itself, for the secretariat only.
    static func file(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let consent = try await PhotoConsentModel.find(id, on: req.db),
              let path = consent.filePath else { throw APIError.notFound("同意書のファイル") }
        return DeskAPIController.fileResponse(try MailDeskActions.blobs(req).read(path), name: "consent")
    }
}
