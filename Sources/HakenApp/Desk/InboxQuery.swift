import Foundation
import HakenCore
import HakenStore
import Vapor

/// `?q=&status=&queue=&from=&to=` for the inbox, the same for its page and the API. A value
/// that cannot be read is refused with a 400 naming it (a filter silently ignored would show
/// the wrong mail). The page's form sends its empty fields: there (`emptyMeansAll`) an empty
/// value is no filter; the API refuses it.
enum InboxQuery {
    static let maxText = 200

    static func filter(_ req: Request, emptyMeansAll: Bool = false) throws -> MailInbox.Filter {
        var filter = MailInbox.Filter()
        func value(_ name: String) throws -> String? {
            guard let text = req.query[String.self, at: name] else { return nil }
            if text.trimmingWhitespace.isEmpty && emptyMeansAll { return nil }
            return text
        }
        if let text = req.query[String.self, at: "q"] {
            guard text.unicodeScalars.count <= maxText else {
                throw APIError.field("q", code: "too_long", message: "検索語は\(maxText)文字以内で指定してください。", status: .badRequest)
            }
            // Control characters (NUL among them) are never in what is searched; FTS5 refuses them.
            let visible = String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.generalCategory.isControlOrFormat }))
            let trimmed = visible.trimmingWhitespace
            filter.text = trimmed.isEmpty ? nil : trimmed
        }
        if let status = try value("status") {
            guard let value = MailStatus(rawValue: status) else {
                throw APIError.field("status", code: "invalid_choice",
                                     message: "status は次のいずれかです: \(MailStatus.allCases.map(\.rawValue).joined(separator: ", "))", status: .badRequest)
            }
            filter.status = value
        }
        if let queue = try value("queue") {
            guard let value = DeskQueue(rawValue: queue), value.isMailQueue else {
                let choices = DeskQueue.allCases.filter(\.isMailQueue).map(\.rawValue).joined(separator: ", ")
                throw APIError.field("queue", code: "invalid_choice", message: "queue は次のいずれかです: \(choices)", status: .badRequest)
            }
            filter.queue = value
        }
        filter.from = try day(try value("from"), "from")
        filter.to = try day(try value("to"), "to")
        return filter
    }

    static func day(_ text: String?, _ name: String) throws -> CivilDate? {
        guard let text else { return nil }
        guard let day = CivilDate(iso: text) else {
            throw APIError.field(name, code: "invalid_date", message: "\(name) は 2026-12-01 の形の日付で指定してください。", status: .badRequest)
        }
        // A day beyond the calendar's range (1900–2199) filters as its nearest end: nothing was received then.
        return min(max(day, CivilDate.calendarFirst), CivilDate.calendarLast)
    }
}

extension Unicode.GeneralCategory {
    var isControlOrFormat: Bool { self == .control || self == .format || self == .surrogate || self == .unassigned || self == .privateUse }
}
