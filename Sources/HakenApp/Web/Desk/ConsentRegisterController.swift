import Fluent
import HakenCore
import HakenStore
import Vapor

/// AFT-1: `/desk/consents`, the photo consents waiting for the secretariat (mailed PDFs, scans
/// an institution sent): accept one (it covers every dispatch of that business's fiscal year)
/// or reject it with the reason. The secretariat's desk (#11) grows from here.
enum ConsentRegisterController {
    struct Row: Encodable {
        var id: String
        var business: String
        var year: String
        var received: String
        var source: String
        var note: String
        var file: String?
    }

    struct Page: Encodable { var rows: [Row] }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let rows = try await PhotoConsents.waiting(on: req.db).compactMap { listed -> Row? in
            guard let id = listed.consent.id else { return nil }
            let year = FiscalYear(startYear: listed.consent.fiscalYear)
            let received = listed.consent.receivedAt.map { TokyoClock.local(secondsSince1970: $0.timeIntervalSince1970) }
            return Row(id: id.apiString, business: listed.businessName, year: "\(year.label)（\(year.eraLabel)）",
                       received: received.map(JapaneseDateFormat.dateTime) ?? "—",
                       source: listed.consent.source == "institution" ? "支援機関から" : "メールで",
                       note: listed.consent.note ?? "", file: listed.consent.filePath == nil ? nil : "/desk/consents/\(id.apiString)/file")
        }
        return try await req.page("desk-consents", title: "写真提出の同意書（確認待ち）", Page(rows: rows))
    }

    static func decide(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("同意書") }
        let accept = (try? req.content.get(String.self, at: "decision")) == "accept"
        let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingWhitespace
        if !accept && reason.isEmpty { return req.seeOther("/desk/consents", flash: "不受理にするときは理由を入力してください。") }
        do {
            try await PhotoConsents.decide(id, accept: accept, reason: reason.isEmpty ? nil : String(reason.prefix(1000)), by: principal.actor,
                                           on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch PhotoConsents.DecisionProblem.notWaiting {
            return req.seeOther("/desk/consents", flash: "この同意書は既に確認済みです。")
        }
        return req.seeOther("/desk/consents", flash: accept ? "同意書を受理しました。" : "同意書を不受理にしました。")
    }

    /// The scan or PDF itself, for the secretariat only.
    static func file(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let consent = try await PhotoConsentModel.find(id, on: req.db),
              let path = consent.filePath else { throw APIError.notFound("同意書のファイル") }
        let bytes = try BlobStore(root: req.application.haken.configuration.store.blobDirectory).read(path)
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        let types: [String: HTTPMediaType] = ["pdf": .pdf, "jpg": .jpeg, "png": .png, "heic": HTTPMediaType(type: "image", subType: "heic")]
        response.headers.contentType = types[String(path.split(separator: ".").last ?? "")] ?? .binary
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        return response
    }
}
