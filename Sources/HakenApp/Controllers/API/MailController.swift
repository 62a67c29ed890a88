import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// `POST /api/v1/inbound-mail`: for deployments where Postfix or a provider pipes mail to
/// HakenDesk; the same storage and processing as SMTP. `GET /api/v1/mail`: every stored mail,
/// or only the queue waiting for a person (`?status=unmatched`).
enum MailController {
    struct Accepted: Content {
        var id: String
        var duplicate: Bool
    }

    static func inbound(req: Request) async throws -> Response {
        let settings = req.application.haken.configuration.mail
        guard let token = req.headers.bearerAuthorization?.token else { throw APIError.unauthenticated }
        let isInboundToken = settings.inboundToken.map { constantTimeEqual(token, $0) } ?? false
        if !isInboundToken {
            guard req.auth.get(Principal.self)?.isSecretariat == true else {
                throw req.auth.has(Principal.self) ? APIError.forbidden : APIError.unauthenticated
            }
        }
        guard let buffer = try await req.body.collect(upTo: settings.maxMessageSize + 1) as ByteBuffer?,
              buffer.readableBytes > 0 else {
            throw APIError.field("body", code: "required", message: "メール本体（RFC 5322 形式）を送信してください。", status: .badRequest)
        }
        guard buffer.readableBytes <= settings.maxMessageSize else {
            throw APIError(.payloadTooLarge, code: "payload_too_large", reason: "メールが大きすぎます（上限 \(settings.maxMessageSize) バイト）。")
        }
        let raw = Array(buffer.readableBytesView)
        let envelopeFrom = req.headers.first(name: "X-Envelope-From")
        let envelopeTo = req.headers.first(name: "X-Envelope-To").map { $0.split(separator: ",").map(String.init) } ?? []
        let accepted = try await req.application.haken.intake.accept(
            raw, envelopeFrom: envelopeFrom, envelopeTo: envelopeTo, source: "api",
            receivedAt: req.application.hakenClock.now(), on: req.db)
        return try await Accepted(id: accepted.id.apiString, duplicate: accepted.duplicate)
            .encodeResponse(status: accepted.duplicate ? .ok : .accepted, for: req)
    }

    struct MailItem: Content {
        var id: String
        var messageId: String?
        var from: String?
        var subject: String?
        var status: String
        var reason: String?
        var receivedAt: Date
        var dispatchId: String?
        var evidenceKind: String?
        var problems: [String]
        var flags: [String]
        var decidedAt: Date?
        var decidedBy: String?
        var decisionNote: String?
        /// #12: `pass`, `fail` or `unverified`, and the reason with the results.
        var senderAuthVerdict: String?
        var senderAuth: String?

        init(_ row: MailInbox.Row) {
            id = row.id.apiString
            messageId = row.messageID
            from = row.from
            subject = row.subject
            status = row.status.rawValue
            reason = row.reason
            receivedAt = row.receivedAt
            dispatchId = row.dispatchID?.apiString
            evidenceKind = row.evidenceKind
            problems = row.problems
            flags = row.flags.map(\.rawValue)
            decidedAt = row.decidedAt
            decidedBy = row.decidedBy
            decisionNote = row.decisionNote
            senderAuthVerdict = row.senderAuthVerdict
            senderAuth = row.senderAuth
        }
    }

    /// A JSON array, newest first, filtered like the desk's inbox (`q`, `status`, `queue`,
    /// `from`, `to`); `X-Total-Count` and `Link` carry the paging.
    static func list(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        let paging = try Paging.from(req, defaultPer: 100, maxPer: 500)
        let filter = try InboxQuery.filter(req)
        let total = try await MailInbox.count(filter, on: req.db)
        let rows = try await MailInbox.page(filter, offset: paging.offset, limit: paging.per, on: req.db)
        let response = try await Paging.response(rows.map(MailItem.init), total: total, for: req)
        if paging.offset + paging.per < total {
            var next = URLComponents()
            next.path = "/api/v1/mail"
            var items = (req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? []).filter { $0.name != "page" && $0.name != "per" }
            items += [URLQueryItem(name: "page", value: String(paging.page + 1)), URLQueryItem(name: "per", value: String(paging.per))]
            next.queryItems = items
            response.headers.replaceOrAdd(name: .link, value: "<\(next.string ?? "/api/v1/mail")>; rel=\"next\"")
        }
        return response
    }
}
