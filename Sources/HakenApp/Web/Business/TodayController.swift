import Fluent
import HakenCore
import HakenStore
import Vapor

/// DAY-1, DAY-2, DAY-6: the page a business opens on its phone at the support site. Each
/// button opens the phone's mail app addressed to the secretariat with the subject written
/// (RFC 6068 `mailto:`), the time being now; the ±20-minute windows count down, and the
/// page shows each report once the mail has been processed (`today.js` asks status.json;
/// without script the page works the same and a reload shows the news).
enum TodayController {
    struct Report: Encodable {
        var kind: String
        var label: String
        var mailto: String
        var subject: String
        var windowText: String
        /// Tokyo wall-clock minute numbers, for the countdown.
        var opens: Int
        var closes: Int
        var status: String
        var tone: String
    }

    struct Page: Encodable {
        var id: String
        var heading: String
        var secretariat: String
        /// The start and the end report.
        var times: [Report]
        var photo: Report
        var now: Int
        var statusURL: String
        var dispatchURL: String
        var registeredAddress: String
    }

    static func show(req: Request) async throws -> Response {
        _ = try req.signedIn()
        let dispatch = try await DispatchPagesController.load(req)
        try req.authorize(.reportOnTheDay, .dispatch(dispatch.parties))
        let business = try await dispatch.$business.get(on: req.db)
        let expert = try await dispatch.$expert.get(on: req.db)
        let schedule = try dispatch.schedule()
        let (facts, _, _) = try await DispatchRecords.records(for: dispatch, on: req.db)
        let now = req.application.hakenClock.tokyoNow
        let secretariat = req.application.haken.configuration.mail.senderAddress
        func timeReport(_ kind: EvidenceKind, _ label: String, _ scheduled: TimeOfDay) -> Report {
            // The subject carries the time now: the person presses the button when it starts.
            let subject = ReportMailLinks.timeSubject(business: business.name, expert: expert.name, date: now.date, time: now.time)
            let at = LocalDateTime(date: schedule.date, time: scheduled)
            let status = facts.evidence.status(kind)
            return Report(kind: kind.rawValue, label: label, mailto: ReportMailLinks.mailto(to: secretariat, subject: subject), subject: subject,
                          windowText: windowText(ReportMailLinks.window(for: at, now: now), scheduled: scheduled),
                          opens: at.minuteNumber - ReportTiming.windowMinutes, closes: at.minuteNumber + ReportTiming.windowMinutes,
                          status: status.japaneseName, tone: ChecklistText.tone(kind, status))
        }
        let photoSubject = ReportMailLinks.photoSubject(business: business.name, expert: expert.name, schedule: schedule)
        let photoStatus = facts.evidence.status(.photo)
        let id = try dispatch.requireID().apiString
        let page = Page(
            id: id, heading: "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm) \(expert.name)",
            secretariat: secretariat,
            times: [timeReport(.startReport, "支援開始を報告", schedule.start), timeReport(.endReport, "支援終了を報告", schedule.end)],
            photo: Report(kind: EvidenceKind.photo.rawValue, label: "写真を送る", mailto: ReportMailLinks.mailto(to: secretariat, subject: photoSubject),
                          subject: photoSubject, windowText: "支援の後すみやかに。ご担当者と専門家が一緒に写った写真を添付してください。",
                          opens: 0, closes: 0, status: photoStatus.japaneseName, tone: ChecklistText.tone(.photo, photoStatus)),
            now: now.minuteNumber, statusURL: "/dispatches/\(id)/status.json", dispatchURL: "/dispatches/\(id)",
            registeredAddress: business.email)
        return try await req.page("today", title: "当日の報告", page)
    }

    struct Status: Content {
        var startReport: Item
        var endReport: Item
        var photo: Item
        /// Tokyo wall-clock minute number now, so the countdown follows the server's clock.
        var now: Int
        struct Item: Content { var status: String; var label: String; var tone: String }
    }

    /// What the page polls (every few seconds on each phone): plain rows, no models.
    static func status(req: Request) async throws -> Status {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let dispatch = try await DispatchListing.one(id, on: req.db) else {
            throw APIError.notFound("派遣")
        }
        try req.authorize(.read, .dispatch(dispatch.parties))
        guard let facts = try await DispatchRecords.records(for: [dispatch], on: req.db)[id]?.facts else { throw APIError.notFound("派遣") }
        func item(_ kind: EvidenceKind) -> Status.Item {
            let status = facts.evidence.status(kind)
            return .init(status: status.rawValue, label: status.japaneseName, tone: ChecklistText.tone(kind, status))
        }
        return Status(startReport: item(.startReport), endReport: item(.endReport), photo: item(.photo),
                      now: req.application.hakenClock.tokyoNow.minuteNumber)
    }

    static func windowText(_ window: ReportMailLinks.Window, scheduled: TimeOfDay) -> String {
        switch window {
        case .opensIn(let minutes): return "予定 \(scheduled.hhmm)。報告の受付まで あと\(minutes)分（前後20分）"
        case .open(let closes): return "予定 \(scheduled.hhmm)。いま報告できます（受付終了まで あと\(closes)分）"
        case .closed(let ago): return "予定 \(scheduled.hhmm)。受付時間（前後20分）を\(ago)分過ぎています"
        }
    }
}
