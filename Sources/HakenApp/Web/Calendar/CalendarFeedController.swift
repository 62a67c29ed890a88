import Fluent
import Foundation
import HakenCore
import HakenDocuments
import HakenStore
import Vapor

/// #13: each party's private calendar feed (RFC 5545). `GET /calendar/<token>.ics` needs no
/// login (calendar programs cannot log in): the token is the secret, and a wrong one gets the
/// same 404 as a rotated one. `POST /calendar/feed` issues or replaces the party's token and
/// shows the new URL once (only its SHA-256 is kept).
enum CalendarFeedController {
    /// A year back and everything ahead: enough for a calendar, bounded for a busy institution.
    static let daysBack = 366
    static let eventLimit = 3_000

    static func feed(req: Request) async throws -> Response {
        guard let file = req.parameters.get("file"), file.hasSuffix(".ics"),
              let party = try await CalendarFeeds.party(forToken: String(file.dropLast(4)), on: req.db) else {
            throw Abort(.notFound, reason: "このカレンダーの URL は使えません。HakenDesk の派遣一覧から新しい URL を発行してください。")
        }
        let now = req.application.hakenClock.now()
        let today = req.application.hakenClock.today
        let rows = try await DispatchListing.onwards(party.scope, from: today.adding(days: -daysBack), limit: eventLimit, on: req.db)
        let configuration = req.application.haken.configuration
        let secretariat = configuration.mail.secretariatAddresses.first ?? configuration.mail.senderAddress
        var events: [ICalendarFeed.Event] = []
        for row in rows {
            guard let schedule = try? row.schedule() else { continue }
            let business = row.businessName ?? "", expert = row.expertName ?? ""
            var description = ["事業者: \(business)", "専門家: \(expert)", "支援機関: \(row.institutionName ?? "")"]
            if row.cancelled {
                description.append("この派遣は取り消されました。")
            } else if case .business = party {
                description.append("当日は支援の開始と終了のそれぞれ前後20分以内に、登録メールアドレスから \(secretariat) へ件名「\(business)/\(expert)/\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)」のメールを送り、ご担当者と専門家が一緒に写った写真もお送りください。")
            }
            events.append(.init(uid: "dispatch-\(row.id.apiString)@hakendesk", sequence: row.revision, schedule: schedule,
                                summary: "専門家派遣 \(business) / \(expert)", description: description.joined(separator: "\n"),
                                url: "\(configuration.linkBase)/dispatches/\(row.id.apiString)", cancelled: row.cancelled))
        }
        let name = try await feedName(party, on: req.db)
        let stamp = TokyoClock.local(secondsSince1970: now.timeIntervalSince1970 - Double(TokyoClock.offsetSeconds))
        let response = Response(status: .ok, body: .init(string: ICalendarFeed.make(name: name, events: events, stamp: stamp)))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"hakendesk.ics\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.headers.replaceOrAdd(name: "X-Robots-Tag", value: "noindex")
        return response
    }

    static func feedName(_ party: CalendarFeeds.Party, on db: Database) async throws -> String {
        let name: String?
        switch party {
        case .business(let id): name = try await BusinessModel.find(id, on: db)?.name
        case .institution(let id): name = try await InstitutionModel.find(id, on: db)?.name
        case .expert(let id): name = try await ExpertModel.find(id, on: db)?.name
        }
        return "専門家派遣（\(name ?? "HakenDesk")）"
    }

    /// The signed-in party's feed, for pages; nil for the secretariat (it has every dispatch, no feed).
    static func party(of principal: Principal) -> CalendarFeeds.Party? {
        guard let id = principal.partyID else { return nil }
        switch principal.role {
        case .business: return .business(id)
        case .institution: return .institution(id)
        case .expert: return .expert(id)
        case .secretariat: return nil
        }
    }

    static func issue(req: Request) async throws -> Response {
        let principal = try req.signedIn()
        guard let party = party(of: principal) else { throw APIError.forbidden }
        let token = try await CalendarFeeds.issue(for: party, actor: principal.actor, on: req.db, key: req.application.haken.auditKey,
                                                  now: req.application.hakenClock.now())
        let url = "\(req.application.haken.configuration.linkBase)/calendar/\(token).ics"
        return try await req.page("message", title: "カレンダーの URL", Message(
            heading: "カレンダーの URL を発行しました",
            paragraphs: [
                "この URL をカレンダー（Google カレンダー、iPhone・Mac のカレンダー、Outlook など）の「URL で追加」「照会カレンダーを購読」に登録すると、派遣の予定が自動で表示され、日程の変更や取り消しも反映されます。",
                url,
                "この URL を知っている人は誰でも予定を見られます。他の人に教えないでください。この画面を閉じると URL は二度と表示されません。分からなくなったとき、漏れたおそれがあるときは、派遣一覧から新しい URL を発行してください（古い URL は使えなくなります）。",
            ],
            link: "/dispatches", linkLabel: "派遣一覧へ戻る"))
    }
}
