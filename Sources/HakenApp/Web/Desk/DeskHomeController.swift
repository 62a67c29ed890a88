import HakenCore
import HakenStore
import Vapor

/// `/desk`: the secretariat's start page — every queue with its count, the way into each, and
/// the inbox search.
enum DeskHomeController {
    struct Queue: Encodable {
        var name: String
        var count: String
        var href: String
        var key: String
    }

    struct Page: Encodable {
        var queues: [Queue]
        var waiting: String
    }

    /// Beyond this many in a queue the start page says "more than".
    static let countCap = 999

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let counts = try await MailInbox.counts(cappedAt: countCap, on: req.db)
        func text(_ count: Int) -> String { count > countCap ? "\(countCap)件以上" : "\(count)件" }
        let queues = DeskQueue.allCases.map { queue in
            Queue(name: queue.japaneseName, count: text(counts[queue] ?? 0), href: DeskLinks.queue(queue), key: queue.rawValue)
        }
        let total = counts.values.reduce(0, +)
        let capped = counts.values.contains { $0 > countCap }
        return try await req.page("desk-home", title: "事務局デスク", Page(queues: queues, waiting: capped ? "\(total)件以上" : "\(total)件"))
    }
}

/// Where each desk page lives (one place for the links the pages and redirects use).
enum DeskLinks {
    static func queue(_ queue: DeskQueue) -> String {
        switch queue {
        case .photos: return "/desk/photos"
        case .consents: return "/desk/consents"
        case .disputes: return "/desk/disputes"
        case .discrepancies: return "/desk/discrepancies"
        case .overdue, .outsideProposed: return "/desk/deadlines"
        default: return "/desk/mail?queue=\(queue.rawValue)"
        }
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "—" }
        return JapaneseDateFormat.dateTime(TokyoClock.local(secondsSince1970: date.timeIntervalSince1970))
    }
}
