import Fluent
import HakenCore
import HakenStore
import Vapor

/// AFT-2: `/certify/{token}`, reached from the mail sent when the expert filed the report.
/// No login: the signed single-use link is the permission, for that dispatch only. Refuses
/// with the reason while the photo has not arrived (AFT-3); shows the expert's times beside
/// the times the business mailed; a dispute goes to the secretariat (DEC-2).
enum CertificationController {
    static let fields = ["times", "disputeReason", "rating", "comment"]

    struct Page: Encodable {
        var business: String
        var expert: String
        var date: String
        var scheduled: String
        var reported: String
        var mailedStart: String
        var mailedEnd: String
        var work: String
        var refusal: String?
        var action: String
        var form: FormState
        var fields: [FormField]
    }

    /// What the link leads to: the dispatch with its parties' names, its evidence (read once:
    /// AFT-3's check and the times shown), and the expert's report.
    struct Loaded {
        var token: String
        var link: ActionLinkModel
        var dispatch: DispatchRow
        var record: DispatchRecords.Record
        var report: ExpertReportModel

        var refusal: Certification.Refusal? { Certification.refusal(record.facts.evidence, cancelled: dispatch.cancelled) }
    }

    static func show(req: Request) async throws -> Response {
        let loaded = try await load(req)
        if loaded.refusal == .noPhoto { try await flagEarlyAttempt(loaded, req: req) }
        return try await req.page("certify", title: "従事証明と専門家評価", try page(loaded, refusal: loaded.refusal, state: FormState()),
                                  status: loaded.refusal == nil ? .ok : .conflict)
    }

    static func certify(req: Request) async throws -> Response {
        let loaded = try await load(req)
        if let refusal = loaded.refusal {
            if refusal == .noPhoto { try await flagEarlyAttempt(loaded, req: req) }
            return try await req.page("certify", title: "従事証明と専門家評価", try page(loaded, refusal: refusal, state: FormState()), status: .conflict)
        }
        let values = req.formValues(fields)
        let certification: Certification
        do {
            certification = try Certification.validate(.init(times: values["times"], disputeReason: values["disputeReason"],
                                                             rating: values["rating"], comment: values["comment"]))
        } catch {
            return try await req.page("certify", title: "従事証明と専門家評価",
                                      try page(loaded, refusal: nil, state: FormState(values: values, failure: error)), status: .unprocessableEntity)
        }
        do {
            try await AfterTheDay.certify(certification, dispatch: loaded.dispatch, link: loaded.link, on: req.db, key: req.application.haken.auditKey,
                                          now: req.application.hakenClock.now())
        } catch AfterTheDay.Problem.linkUsed {
            throw LinkProblem.used.error
        }
        let disputed = certification.times != .confirmed
        return try await req.page("message", title: "ありがとうございました", Message(
            heading: "従事証明と評価を受け付けました",
            paragraphs: disputed
                ? ["ご入力ありがとうございました。専門家の報告と異なる点は、事務局が確認してご連絡します。"]
                : ["ご入力ありがとうございました。これで専門家への謝金・旅費の支払い手続きに進みます（他の書類がそろっている場合）。"],
            link: nil, linkLabel: nil))
    }

    /// AFT-3 with #12: opening (or posting) the certification before any photo arrived is
    /// refused, and the secretariat hears of it, once per link.
    static func flagEarlyAttempt(_ loaded: Loaded, req: Request) async throws {
        let attempt = try loaded.link.requireID().uuidString.lowercased()
        let entry = Discrepancies.Entry(dispatchID: loaded.dispatch.id, finding: CrossCheck.certificationBeforePhoto(attempt: attempt))
        let (actor, key, now) = ("business:\(loaded.dispatch.businessID.uuidString.lowercased())", req.application.haken.auditKey,
                                 req.application.hakenClock.now())
        _ = try await req.db.hakenTransaction { tx in
            try await Discrepancies.review([], toleranceMinutes: 0, extra: [entry], actor: actor, on: tx, key: key, now: now)
        }
    }

    static func load(_ req: Request) async throws -> Loaded {
        let token = req.parameters.get("token") ?? ""
        let lookup = try await ActionLinks.look(token, .certification, on: req.db, key: req.application.haken.auditKey,
                                                now: req.application.hakenClock.now())
        switch lookup {
        case .valid(let link):
            guard let dispatch = try await DispatchListing.one(link.subjectID, on: req.db),
                  let record = try await DispatchRecords.records(for: [dispatch], on: req.db)[dispatch.id],
                  let report = try await ExpertReportModel.query(on: req.db).filter(\.$dispatch.$id == link.subjectID).first() else {
                throw LinkProblem.unknown.error
            }
            return Loaded(token: token, link: link, dispatch: dispatch, record: record, report: report)
        case .used:
            throw APIError(.gone, code: "link", reason: "この派遣の従事証明は既に入力されています。リンクは1回だけ使えます。")
        default:
            throw LinkProblem(lookup, again: "事務局にご連絡ください。").error
        }
    }

    static func page(_ loaded: Loaded, refusal: Certification.Refusal?, state: FormState) throws -> Page {
        let (dispatch, report) = (loaded.dispatch, loaded.report)
        let schedule = try dispatch.schedule()
        func mailed(_ kind: EvidenceKind) -> String {
            guard let row = loaded.record.rows.first(where: { $0.kind == kind.rawValue }), let at = row.receivedAt else { return "メールなし" }
            let local = TokyoClock.local(secondsSince1970: at.timeIntervalSince1970)
            return "\(local.time.hhmm) に受信（\(EvidenceStatus(rawValue: row.status)?.japaneseName ?? row.status)）"
        }
        return Page(
            business: dispatch.businessName ?? "", expert: dispatch.expertName ?? "", date: JapaneseDateFormat.monthDayWeekday(schedule.date),
            scheduled: "\(schedule.start.hhmm)〜\(schedule.end.hhmm)", reported: "\(report.actualStart)〜\(report.actualEnd)",
            mailedStart: mailed(.startReport), mailedEnd: mailed(.endReport), work: report.work,
            refusal: refusal?.message, action: "/certify/\(loaded.token)", form: state,
            fields: [
                state.field("times", "専門家が報告した時刻と内容は正しいですか", type: "radio", required: true,
                            options: [("confirm", "正しい（従事を証明します）"), ("dispute", "実際と異なる")]),
                state.field("disputeReason", "実際と異なる点", type: "textarea", hint: "「実際と異なる」を選んだ場合に、実際の時刻と内容を書いてください。"),
                state.field("rating", "専門家の支援の評価", type: "radio", required: true,
                            options: [("5", "5 とても満足"), ("4", "4 満足"), ("3", "3 ふつう"), ("2", "2 やや不満"), ("1", "1 不満")]),
                state.field("comment", "ご意見", type: "textarea"),
            ])
    }
}
