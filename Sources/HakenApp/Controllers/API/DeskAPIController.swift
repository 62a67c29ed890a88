import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// The secretariat's desk as JSON (#11): the same actions as its pages, through the same
/// functions (`MailDeskActions`, `PhotoDeskActions`, `DeclarationDeskActions`), under the
/// same permission (`.manage` on `.secretariatDesk`: the secretariat only).
enum DeskAPIController {
    struct QueueCount: Content {
        var queue: String
        var name: String
        var count: Int
    }

    static func queues(req: Request) async throws -> [QueueCount] {
        try req.authorize(.manage, .secretariatDesk)
        let counts = try await MailInbox.counts(on: req.db)
        return DeskQueue.allCases.map { QueueCount(queue: $0.rawValue, name: $0.japaneseName, count: counts[$0] ?? 0) }
    }
}
