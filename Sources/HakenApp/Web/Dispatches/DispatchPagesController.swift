import Fluent
import HakenCore
import HakenStore
import Vapor

/// `/dispatches` (each role's own list, newest day first, paginated) and `/dispatches/{id}`
/// (the schedule and the checklist in plain Japanese: what is done, what is owed, by when,
/// and what happens if not — NOTE-1, NOTE-2). Who sees what is the one policy's `.read`.
enum DispatchPagesController {
    struct Row: Encodable {
        var id: String
        var date: String
        var time: String
        var business: String
        var expert: String
        var state: String
        var tone: String
    }

    struct List: Encodable {
        var rows: [Row]
        var page: Int
        var pages: Int
        var total: Int
        var previous: String?
        var next: String?
        var intro: String
        var needsDetails: Bool
        /// #13: the party's calendar feed (not the secretariat's: it has every dispatch).
        var calendar: CalendarBox?
    }

    struct CalendarBox: Encodable {
        var issued: String?
    }

    static func list(req: Request) async throws -> Response {
        let principal = try req.signedIn()
        if principal.role == .business && principal.partyID == nil { return req.redirect(to: "/business/details") }
        let paging = try Paging.from(req, defaultPer: 30, maxPer: 100)
        let scope = DispatchesController.scope(for: principal)
        let total = try await DispatchListing.count(scope, on: req.db)
        let listed = try await DispatchListing.page(scope, offset: paging.offset, limit: paging.per, on: req.db)
        let today = req.application.hakenClock.today
        let records = try await DispatchRecords.records(for: listed, on: req.db)
        var rows: [Row] = []
        for dispatch in listed {
            guard let facts = records[dispatch.id]?.facts else { continue }
            let state = DispatchRules.assess(facts, today: today).state
            let schedule = try dispatch.schedule()
            rows.append(Row(id: dispatch.id.apiString, date: JapaneseDateFormat.full(schedule.date),
                            time: "\(schedule.start.hhmm)〜\(schedule.end.hhmm)", business: dispatch.businessName ?? "", expert: dispatch.expertName ?? "",
                            state: state.japaneseName, tone: tone(state)))
        }
        let pages = max(1, (total + paging.per - 1) / paging.per)
        let intro: String
        switch principal.role {
        case .business: intro = "貴社への専門家派遣です。派遣を選ぶと、当日の報告方法と残っている手続きが分かります。"
        case .institution: intro = "貴機関が申請した専門家派遣です。"
        case .expert: intro = "あなたが担当する専門家派遣です。支援の後は、派遣を選んで支援報告を入力してください。"
        case .secretariat: intro = "すべての専門家派遣です。"
        }
        var calendar: CalendarBox?
        if let party = CalendarFeedController.party(of: principal) {
            calendar = CalendarBox(issued: try await CalendarFeeds.issuedAt(for: party, on: req.db).map(HakenApp.DeskLinks.time))
        }
        return try await req.page("dispatch-list", title: "派遣一覧", List(
            rows: rows, page: paging.page, pages: pages, total: total,
            previous: paging.page > 1 ? "/dispatches?page=\(paging.page - 1)" : nil,
            next: paging.page < pages ? "/dispatches?page=\(paging.page + 1)" : nil,
            intro: intro, needsDetails: false, calendar: calendar))
    }

    static func tone(_ state: DispatchState) -> String {
        switch state {
        case .complete: return "done"
        case .underReview, .scheduled, .awaitingExpertReport, .cancelled: return "wait"
        case .collecting, .declarationRequired, .awaitingCertification, .outsideProposed, .outsideProgramme: return "owed"
        }
    }

    struct Page: Encodable {
        var id: String
        var business: String
        var expert: String
        var institution: String
        var date: String
        var dateEra: String
        var time: String
        var place: String
        var state: String
        var tone: String
        var deadlineNote: String?
        var lines: [ChecklistText.Line]
        var todayLink: String?
        var reportLink: String?
        var expertReport: ExpertReportFacts?
        var certificationNote: String?
        /// CON-5: the institution's ways to change it.
        var rescheduleLink: String?
        var cancelAction: String?
        var cancelReason: String?
        /// AFT-1: the institution may send the year's consent for the business.
        var consentLink: String?
        /// The secretariat's desk for this dispatch (#11).
        var desk: DeskLinks?
        /// #13: the forms to print, the ones it needs now first.
        @OmitEmpty var forms: [FormLink]
    }

    struct DeskLinks: Encodable {
        var declarations: String
        var audit: String
        var photo: String?
        /// The mails recorded against the dispatch, each with what the sender checks found (#12).
        @OmitEmpty var mails: [MailLine]
        /// What its reports say against each other (#12, DEC-2), open ones first.
        @OmitEmpty var discrepancies: [DiscrepancyLine]
    }

    struct DiscrepancyLine: Encodable {
        var kind: String
        var reason: String
        var found: String
        var resolution: String?
    }

    struct MailLine: Encodable {
        var href: String
        var received: String
        var subject: String
        var from: String
        var status: String
        var auth: SenderAuthLine?
    }

    struct ExpertReportFacts: Encodable {
        var time: String
        var work: String
        var nextSteps: String?
        var travel: String
    }

    static func show(req: Request) async throws -> Response {
        let principal = try req.signedIn()
        guard let dispatchID = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let dispatch = try await DispatchListing.one(dispatchID, on: req.db) else { throw APIError.notFound("派遣") }
        try req.authorize(.read, .dispatch(dispatch.parties))
        let today = req.application.hakenClock.today
        guard let facts = try await DispatchRecords.records(for: [dispatch], on: req.db)[dispatch.id]?.facts else { throw APIError.notFound("派遣") }
        let assessment = DispatchRules.assess(facts, today: today)
        let schedule = try dispatch.schedule()
        let deadline = CivilDate(iso: dispatch.deadline) ?? DispatchDeadline.standard(for: schedule.date)
        let report = try await ExpertReportModel.query(on: req.db).filter(\.$dispatch.$id == dispatchID).first()
        let id = dispatch.id.apiString
        var certificationNote: String?
        if principal.role == .business, report != nil, facts.evidence.status(.certification) == .missing {
            certificationNote = "従事証明と専門家の評価は、事務局からお送りしたメールのリンクから入力してください。"
        }
        let institutionActs = principal.role == .institution && principal.may(.fileDispatch, .dispatch(dispatch.parties))
        let desk = principal.may(.manage, .secretariatDesk)
        let mails = desk ? try await MailInbox.forDispatch(dispatchID, on: req.db).map { mail in
            MailLine(href: "/desk/mail/\(mail.id.apiString)", received: HakenApp.DeskLinks.time(mail.receivedAt), subject: mail.subject ?? "（件名なし）",
                     from: mail.from ?? "（読み取れません）", status: mail.status.japaneseName, auth: SenderAuthLine(mail))
        } : []
        let discrepancies = desk ? try await Discrepancies.forDispatch(dispatchID, on: req.db)
            .sorted { ($0.resolvedAt == nil ? 0 : 1, $0.foundAt) < ($1.resolvedAt == nil ? 0 : 1, $1.foundAt) }
            .map { item in
                DiscrepancyLine(kind: item.kind.japaneseName, reason: item.reason, found: HakenApp.DeskLinks.time(item.foundAt),
                                resolution: item.resolvedAt.map { "確認済み（\(HakenApp.DeskLinks.time($0))、\(item.resolvedBy ?? "")）: \(item.resolution ?? "")" })
            } : []
        let page = Page(
            id: id, business: dispatch.businessName ?? "", expert: dispatch.expertName ?? "", institution: dispatch.institutionName ?? "",
            date: JapaneseDateFormat.monthDayWeekday(schedule.date), dateEra: JapaneseEra.format(schedule.date) ?? schedule.date.iso,
            time: "\(schedule.start.hhmm)〜\(schedule.end.hhmm)", place: schedule.place,
            state: assessment.state.japaneseName, tone: tone(assessment.state),
            deadlineNote: ChecklistText.deadlineNote(deadline, state: assessment.state),
            lines: ChecklistText.lines(schedule: schedule, evidence: facts.evidence, assessment: assessment, deadline: deadline),
            todayLink: principal.may(.reportOnTheDay, .dispatch(dispatch.parties)) && !dispatch.cancelled ? "/dispatches/\(id)/today" : nil,
            reportLink: principal.may(.fileExpertReport, .dispatch(dispatch.parties)) && report == nil && !dispatch.cancelled && today >= schedule.date
                ? "/dispatches/\(id)/report" : nil,
            expertReport: report.map {
                ExpertReportFacts(time: "\($0.actualStart)〜\($0.actualEnd)", work: $0.work, nextSteps: $0.nextSteps,
                                  travel: YenText.yen($0.travelExpensesYen))
            },
            certificationNote: certificationNote,
            rescheduleLink: institutionActs && DispatchChange.rescheduleRefusal(facts, today: today) == nil ? "/dispatches/\(id)/reschedule" : nil,
            cancelAction: institutionActs && DispatchChange.cancelRefusal(facts, today: today) == nil ? "/dispatches/\(id)/cancel" : nil,
            cancelReason: dispatch.cancelled ? (dispatch.cancelReason ?? "（理由の記録なし）") : nil,
            consentLink: institutionActs && [.missing, .rejected].contains(facts.evidence.status(.photoConsent))
                ? "/businesses/\(dispatch.businessID.apiString)/consent" : nil,
            desk: desk
                ? DeskLinks(declarations: "/desk/dispatches/\(id)/declarations", audit: "/desk/dispatches/\(id)/audit",
                            photo: facts.evidence.status(.photo) == .missing ? nil : "/desk/photos/\(id)",
                            mails: mails, discrepancies: discrepancies) : nil,
            forms: FormLinks.forDispatch(dispatch, principal: principal, facts: facts, assessment: assessment, hasReport: report != nil,
                                         hasCertification: facts.evidence.status(.certification) != .missing))
        return try await req.page("dispatch", title: "派遣 \(page.date) \(page.business)", page)
    }

    /// The dispatch named in the path, or 404 (the same for everyone: ids are not secrets,
    /// but what they hold is checked by the policy right after).
    static func load(_ req: Request) async throws -> DispatchModel {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let dispatch = try await DispatchModel.find(id, on: req.db) else { throw APIError.notFound("派遣") }
        return dispatch
    }
}
