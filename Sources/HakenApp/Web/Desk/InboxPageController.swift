import Foundation
import HakenCore
import HakenStore
import Vapor

/// `/desk/mail`: every received mail, searchable (Japanese substrings, sender, status, queue,
/// dates), and one mail with its decoded headers, attachments, the system's decision and the
/// secretariat's: accept or reject what it reported, assign it to a dispatch, or set it aside.
enum InboxPageController {
    struct Row: Encodable {
        var id: String
        var received: String
        var from: String
        var subject: String
        var status: String
        var reason: String
        var decided: Bool
    }

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// Beyond this many the page says "more than" (the API's X-Total-Count stays exact).
    static let countCap = 10_000

    struct ListPage: Encodable {
        var rows: [Row]
        var total: String
        var page: Int
        var pages: String
        var previous: String?
        var next: String?
        var empty: Bool
        var q: String
        var from: String
        var to: String
        var statuses: [Option]
        var queues: [Option]
        var heading: String
        var queueParam: String
        /// The same list as CSV (the page's filters).
        var csv: String
    }

    static func list(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let filter = try InboxQuery.filter(req, emptyMeansAll: true)
        let paging = try Paging.from(req, defaultPer: 50, maxPer: 200)
        let total = try await MailInbox.count(filter, cappedAt: countCap, on: req.db)
        let rows = try await MailInbox.page(filter, offset: paging.offset, limit: paging.per, on: req.db).map { row in
            Row(id: row.id.apiString, received: DeskLinks.time(row.receivedAt), from: row.from ?? "（読み取れません）",
                subject: row.subject ?? "（件名なし）", status: row.status.japaneseName, reason: row.reason ?? "", decided: row.decidedAt != nil)
        }
        let pages = max(1, (total + paging.per - 1) / paging.per)
        func link(_ page: Int) -> String {
            var items = (req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? []).filter { $0.name != "page" }
            items.append(URLQueryItem(name: "page", value: String(page)))
            var components = URLComponents()
            components.path = "/desk/mail"
            components.queryItems = items
            return components.string ?? "/desk/mail"
        }
        let page = ListPage(
            rows: rows, total: total > countCap ? "\(countCap.formatted())件以上" : "\(total)件", page: paging.page,
            pages: total > countCap ? "\(pages)以上" : String(pages),
            previous: paging.page > 1 ? link(paging.page - 1) : nil, next: paging.page < pages ? link(paging.page + 1) : nil, empty: total == 0,
            q: filter.text ?? "", from: filter.from?.iso ?? "", to: filter.to?.iso ?? "",
            statuses: MailStatus.allCases.map { Option(value: $0.rawValue, label: $0.japaneseName, selected: filter.status == $0) },
            queues: DeskQueue.allCases.filter(\.isMailQueue).map { Option(value: $0.rawValue, label: $0.japaneseName, selected: filter.queue == $0) },
            heading: filter.queue?.japaneseName ?? "受信メール", queueParam: filter.queue?.rawValue ?? "",
            csv: "/desk/mail.csv?" + (req.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? [])
                .filter { $0.name != "page" && $0.name != "per" }.map { "\($0.name)=\($0.value?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&"))
        return try await req.page("desk-inbox", title: page.heading, page)
    }

    struct Item: Encodable {
        var kind: String
        var status: String
        var trust: String
    }

    struct Attachment: Encodable {
        var name: String
        var type: String
        var size: String
        var href: String
        var image: Bool
        var note: String?
    }

    struct CandidateRow: Encodable {
        var id: String
        var label: String
        var reasons: String
        var score: Int
        var checked: Bool
    }

    struct DetailPage: Encodable {
        var id: String
        var received: String
        var countsAt: String
        var from: String
        var subject: String
        var status: String
        var reason: String
        @OmitEmpty var flags: [String]
        @OmitEmpty var problems: [String]
        var headers: [ReceivedMailView.Header]
        var text: String?
        @OmitEmpty var attachments: [Attachment]
        @OmitEmpty var items: [Item]
        var dispatch: String?
        var dispatchLabel: String?
        var decided: String?
        var decisionNote: String?
        var senderAuth: SenderAuthLine?
        var canReview: Bool
        var canAssign: Bool
        var canDismiss: Bool
        var declarationMail: Bool
        @OmitEmpty var candidates: [CandidateRow]
        var kinds: [Option]
        var queue: String
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let context = try await MailDeskActions.context(req, id: req.parameters.get("id"))
        let mail = context.mail
        let raw = try await MailInbox.raw(mail.id, blobs: MailDeskActions.blobs(req), on: req.db) ?? []
        let view = ReceivedMailView.read(raw)
        let ranked = try await DeskAPIController.rankedCandidates(context, req: req)
        let undecided = mail.decidedAt == nil
        let attachments = view.attachments.map { attachment in
            Attachment(name: attachment.filename ?? "（名前なし）", type: attachment.picture.map { "画像（\($0)）" } ?? (attachment.pdf ? "PDF" : attachment.declaredType),
                       size: "\(max(1, attachment.size / 1024)) KB", href: "/desk/mail/\(mail.id.apiString)/attachments/\(attachment.index)",
                       image: ["jpeg", "png", "gif", "heic"].contains(attachment.picture ?? ""),
                       note: attachment.picture == "heic" ? "HEIC 形式の写真を、表示のためJPEGに変換しています（元のファイルは .eml に含まれます）。" : nil)
        }
        let dispatchLabel = context.dispatch.flatMap { row -> String? in
            guard let schedule = try? row.schedule() else { return nil }
            return "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm) \(row.businessName ?? "") / \(row.expertName ?? "")"
        }
        let page = DetailPage(
            id: mail.id.apiString, received: DeskLinks.time(mail.receivedAt), countsAt: DeskLinks.time(context.countsAt),
            from: mail.from ?? "（読み取れません）", subject: mail.subject ?? "（件名なし）", status: mail.status.japaneseName,
            reason: mail.reason ?? "", flags: mail.flags.compactMap { flag in DeskQueue.allCases.first { $0.flag == flag }?.japaneseName },
            problems: mail.problems, headers: view.headers, text: view.text, attachments: attachments,
            items: EvidenceKind.allCases.compactMap { kind in
                context.owned[kind].map { Item(kind: kind.japaneseName, status: $0.status.japaneseName, trust: $0.trust.japaneseName) }
            },
            dispatch: context.dispatch?.id.apiString, dispatchLabel: dispatchLabel,
            decided: mail.decidedAt.map { "\(DeskLinks.time($0))（\(mail.decidedBy ?? "")）" }, decisionNote: mail.decisionNote,
            senderAuth: SenderAuthLine(mail),
            canReview: undecided && context.dispatch != nil && [.review, .matched, .refused].contains(mail.status),
            canAssign: undecided && context.dispatch == nil && [.unmatched, .refused].contains(mail.status),
            canDismiss: undecided && [.unmatched, .refused, .machine, .review].contains(mail.status),
            declarationMail: undecided && mail.flags.contains(.declaration),
            candidates: ranked.enumerated().map { index, candidate in
                let schedule = candidate.dispatch.schedule
                return CandidateRow(id: candidate.dispatch.id.apiString,
                                    label: "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm) \(candidate.dispatch.business.name) / \(candidate.dispatch.expertName)",
                                    reasons: candidate.reasons.joined(separator: "・"), score: candidate.score, checked: index == 0)
            },
            kinds: MailRuling.assignableKinds.map { Option(value: $0.rawValue, label: $0.japaneseName, selected: false) },
            queue: req.query[String.self, at: "queue"] ?? "")
        return try await req.page("desk-mail", title: "受信メールの詳細", page)
    }

    /// The decision form. Afterwards, the next undecided mail of the same queue (the desk is
    /// cleared one mail after another), or the list.
    static func decide(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let principal = try req.authorize(.manage, .secretariatDesk)
        let context = try await MailDeskActions.context(req, id: req.parameters.get("id"))
        let input = try req.content.decode(MailDeskActions.DecisionInput.self)
        let queue = (try? req.content.get(String.self, at: "queue")).flatMap(DeskQueue.init(rawValue:))
        let here = "/desk/mail/\(context.mail.id.apiString)" + (queue.map { "?queue=\($0.rawValue)" } ?? "")
        do {
            let summary = try await MailDeskActions.decide(input, context: context, principal: principal, req: req)
            if let queue, let next = try await MailInbox.page(.init(queue: queue), offset: 0, limit: 1, on: req.db).first {
                return req.seeOther("/desk/mail/\(next.id.apiString)?queue=\(queue.rawValue)", flash: "記録しました: \(summary)。次のメールです。")
            }
            return req.seeOther(queue.map(DeskLinks.queue) ?? here, flash: "記録しました: \(summary)")
        } catch let error as APIError {
            return req.seeOther(here, flash: error.reason)
        }
    }

    static func raw(req: Request) async throws -> Response {
        _ = try req.signedIn()
        return try await DeskAPIController.raw(req: req)
    }

    static func attachment(req: Request) async throws -> Response {
        _ = try req.signedIn()
        return try await DeskAPIController.attachment(req: req)
    }
}

/// #12: what the sender checks found, as the desk shows it beside a mail.
struct SenderAuthLine: Encodable, Sendable {
    var verdict: String
    var tone: String
    var detail: String
    var client: String?

    init?(_ row: MailInbox.Row) {
        guard let raw = row.senderAuthVerdict, let verdict = SenderAuthentication.Verdict(rawValue: raw) else { return nil }
        self.verdict = verdict.japaneseName
        self.tone = verdict.tone
        self.detail = row.senderAuth ?? ""
        self.client = row.clientAddress
    }
}
