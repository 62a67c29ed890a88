import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// The inbox as JSON: one mail with its headers, attachments and candidates, its raw bytes,
/// an attachment, and the decision on it (DEC-2, DEC-6, DEC-7, DEC-8).
extension DeskAPIController {
    struct OwnedItem: Content {
        var kind: String
        var status: String
        var trust: String
    }

    struct Candidate: Content {
        var dispatchId: String
        var business: String
        var expert: String
        var date: String
        var start: String
        var end: String
        var score: Int
        var reasons: [String]
    }

    struct MailDetail: Content {
        var mail: MailController.MailItem
        var countsAt: Date
        var headers: [ReceivedMailView.Header]
        var text: String?
        var attachments: [ReceivedMailView.Attachment]
        var items: [OwnedItem]
        var candidates: [Candidate]
    }

    static func mail(req: Request) async throws -> MailDetail {
        try req.authorize(.manage, .secretariatDesk)
        let context = try await MailDeskActions.context(req, id: req.parameters.get("id"))
        let raw = try await MailInbox.raw(context.mail.id, blobs: MailDeskActions.blobs(req), on: req.db) ?? []
        let view = ReceivedMailView.read(raw)
        let candidates = try await rankedCandidates(context, req: req).map {
            Candidate(dispatchId: $0.dispatch.id.apiString, business: $0.dispatch.business.name, expert: $0.dispatch.expertName,
                      date: $0.dispatch.schedule.date.iso, start: $0.dispatch.schedule.start.hhmm, end: $0.dispatch.schedule.end.hhmm,
                      score: $0.score, reasons: $0.reasons)
        }
        return MailDetail(mail: .init(context.mail), countsAt: context.countsAt, headers: view.headers, text: view.text,
                          attachments: view.attachments,
                          items: EvidenceKind.allCases.compactMap { kind in
                              context.owned[kind].map { OwnedItem(kind: kind.rawValue, status: $0.status.rawValue, trust: $0.trust.rawValue) }
                          }, candidates: candidates)
    }

    /// DEC-8: for a mail not tied to a dispatch (unmatched, refused, a declaration PDF), the
    /// dispatches it is most likely about.
    static func rankedCandidates(_ context: DeskDecisions.MailContext, req: Request) async throws -> [AssignmentCandidates.Ranked] {
        guard context.mail.dispatchID == nil, context.mail.decidedAt == nil else { return [] }
        let received = TokyoClock.local(secondsSince1970: context.countsAt.timeIntervalSince1970)
        let report = context.mail.subject.flatMap { ReportSubjectReader.read($0).report }
        var days = [received.date]
        if let report, let written = ReportTiming.inferDate(month: report.month, day: report.day, receivedOn: received.date) { days.append(written) }
        let dispatches = try await DeskDecisions.dispatchesAround(days, on: req.db)
        let sender = try await DeskDecisions.business(ofAddress: context.mail.from, on: req.db)
        return AssignmentCandidates.rank(.init(received: received, subjectText: context.mail.subject ?? "", report: report, senderBusinessID: sender),
                                         among: dispatches)
    }

    /// DEC-8: the message exactly as received.
    static func raw(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let raw = try await MailInbox.raw(id, blobs: MailDeskActions.blobs(req), on: req.db) else { throw APIError.notFound("メール") }
        let response = Response(status: .ok, body: .init(data: Data(raw)))
        response.headers.contentType = HTTPMediaType(type: "message", subType: "rfc822")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(id.apiString).eml\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// One attachment's bytes: a picture (by its bytes) shown inline under its real type;
    /// anything else only as a download, never rendered by the browser.
    static func attachment(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let index = req.parameters.get("index").flatMap(Int.init),
              let raw = try await MailInbox.raw(id, blobs: MailDeskActions.blobs(req), on: req.db),
              let bytes = ReceivedMailView.attachmentBytes(raw, index: index) else { throw APIError.notFound("添付ファイル") }
        return fileResponse(bytes, name: "attachment-\(index)")
    }

    static func fileResponse(_ bytes: [UInt8], name: String) -> Response {
        let format = ImageFormat.sniff(Array(bytes.prefix(ImageFormat.sniffLength)))
        // HEIC (iPhones) is shown as JPEG; if it cannot be converted, it is a download.
        if format == .heic, let jpeg = try? HEICToJPEG.convert(bytes) {
            return fileResponse(jpeg, name: name)
        }
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        // Shown inline only where every browser shows it; WebP and what failed to convert are downloads.
        let types: [ImageFormat: HTTPMediaType] = [.jpeg: .jpeg, .png: .png, .gif: .gif]
        if let format, let type = types[format] {
            response.headers.contentType = type
            response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        } else if bytes.starts(with: Array("%PDF-".utf8)) {
            response.headers.contentType = .pdf
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).pdf\"")
        } else {
            response.headers.contentType = .binary
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).bin\"")
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct Decided: Content {
        var id: String
        var status: String
        var summary: String
    }

    static func decide(req: Request) async throws -> Decided {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(MailDeskActions.DecisionInput.self)
        let context = try await MailDeskActions.context(req, id: req.parameters.get("id"))
        let summary = try await MailDeskActions.decide(input, context: context, principal: principal, req: req)
        let after = try await MailInbox.one(context.mail.id, on: req.db)
        return Decided(id: context.mail.id.apiString, status: after?.status.rawValue ?? "", summary: summary)
    }
}
