import Fluent
import HakenCore
import HakenStore
import Vapor

/// AFT-2: `/dispatches/{id}/report`, the assigned expert's report after the support. Filing
/// it mails the person in charge the certification link (in the same transaction).
enum ExpertReportController {
    static let fields = ["actualStart", "actualEnd", "work", "nextSteps", "travelExpenses"]

    static func show(req: Request) async throws -> Response {
        let dispatch = try await allowed(req)
        let schedule = try dispatch.schedule()
        let state = FormState(values: ["actualStart": schedule.start.hhmm, "actualEnd": schedule.end.hhmm, "travelExpenses": "0"])
        return try await req.page("form", title: "支援報告", page(dispatch, state: state))
    }

    static func file(req: Request) async throws -> Response {
        let dispatch = try await allowed(req)
        let principal = try req.signedIn()
        let values = req.formValues(fields)
        let report: ExpertReport
        do {
            report = try ExpertReport.validate(.init(actualStart: values["actualStart"], actualEnd: values["actualEnd"], work: values["work"],
                                                     nextSteps: values["nextSteps"], travelExpenses: values["travelExpenses"]))
        } catch {
            return try await req.page("form", title: "支援報告", page(dispatch, state: FormState(values: values, failure: error)),
                                      status: .unprocessableEntity)
        }
        let business = try await dispatch.$business.get(on: req.db)
        let expert = try await dispatch.$expert.get(on: req.db)
        let date = JapaneseDateFormat.monthDayWeekday(try dispatch.schedule().date)
        let id = try dispatch.requireID()
        let base = req.application.haken.configuration.linkBase
        let mailRow: @Sendable (String) -> Outbox.Row? = { [business, expert] token in
            let message = AccountMailText.certificationRequest(business: business.name, contact: business.contactName, expert: expert.name,
                                                               date: date, link: "\(base)/certify/\(token)")
            return WebMail.row(.certificationRequest, to: business.email, message, dedupe: "certify:\(id.apiString)", req: req)
        }
        do {
            try await AfterTheDay.fileReport(report, dispatch: dispatch, by: principal.actor, mail: mailRow,
                                             timeGapMinutes: req.application.haken.configuration.timeGapMinutes, on: req.db,
                                             key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        } catch AfterTheDay.Problem.reportAlreadyFiled {
            return req.seeOther("/dispatches/\(id.apiString)", flash: "この派遣の支援報告は既に提出されています。")
        }
        return req.seeOther("/dispatches/\(id.apiString)", flash: "支援報告を提出しました。事業者に従事証明のお願いをメールで送りました。")
    }

    /// Only the assigned expert, only once, only on or after the day, never for a cancelled one.
    static func allowed(_ req: Request) async throws -> DispatchModel {
        _ = try req.signedIn()
        let dispatch = try await DispatchPagesController.load(req)
        try req.authorize(.fileExpertReport, .dispatch(dispatch.parties))
        if dispatch.cancelled { throw APIError(.conflict, code: "cancelled", reason: "この派遣は取り消されています。") }
        if req.application.hakenClock.today < (try dispatch.schedule().date) {
            throw APIError(.conflict, code: "too_early", reason: "支援報告は支援日以降に入力できます。")
        }
        if try await ExpertReportModel.query(on: req.db).filter(\.$dispatch.$id == dispatch.requireID()).count() > 0 {
            throw APIError(.conflict, code: "already_filed", reason: "この派遣の支援報告は既に提出されています。")
        }
        return dispatch
    }

    static func page(_ dispatch: DispatchModel, state: FormState) throws -> FormPage {
        let schedule = try dispatch.schedule()
        return FormPage(heading: "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) の支援報告",
                        intro: "提出すると、事業者のご担当者に従事証明と評価のお願いがメールで届きます。提出後は変更できません（訂正は事務局へ）。",
                        action: "/dispatches/\(try dispatch.requireID().apiString)/report", submit: "支援報告を提出する", form: state, fields: [
                        state.field("actualStart", "実際の開始時刻", type: "time", required: true, hint: "予定は \(schedule.start.hhmm)"),
                        state.field("actualEnd", "実際の終了時刻", type: "time", required: true, hint: "予定は \(schedule.end.hhmm)"),
                        state.field("work", "支援内容", type: "textarea", required: true, hint: "行った支援と、事業者の課題"),
                        state.field("nextSteps", "今後の課題・次の支援", type: "textarea"),
                        state.field("travelExpenses", "旅費（円）", required: true, hint: "公共交通機関の往復運賃。なければ 0。", inputmode: "numeric"),
                    ])
    }
}
