import Fluent
import HakenCore
import HakenStore
import Vapor

/// CON-5: `/dispatches/{id}/reschedule` and `/dispatches/{id}/cancel`: the institution that
/// filed a dispatch moves or cancels it with a reason; the business and the expert are told
/// by mail in the same transaction, and the audit log keeps the old and the new (NOTE-3).
enum DispatchChangeController {
    static let fields = ["date", "start", "end", "place", "reason"]

    static func load(_ req: Request) async throws -> (Principal, DispatchModel, DispatchFacts) {
        let principal = try req.signedIn()
        let dispatch = try await DispatchPagesController.load(req)
        try req.authorize(.fileDispatch, .dispatch(dispatch.parties))
        let (facts, _, _) = try await DispatchRecords.records(for: dispatch, on: req.db)
        return (principal, dispatch, facts)
    }

    static func page(_ dispatch: DispatchModel, _ state: FormState) throws -> FormPage {
        let schedule = try dispatch.schedule()
        return FormPage(heading: "日程の変更", intro: "現在の予定: \(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)（\(schedule.place)）。変更すると事業者と専門家にメールでお知らせします。",
                    action: "/dispatches/\(try dispatch.requireID().apiString)/reschedule", multipart: false, submit: "日程を変更する", form: state, fields: [
                        state.field("date", "支援日", type: "date", required: true),
                        state.field("start", "開始時刻", type: "time", required: true),
                        state.field("end", "終了時刻", type: "time", required: true),
                        state.field("place", "支援の場所", required: true),
                        state.field("reason", "変更の理由", type: "textarea", required: true),
                    ])
    }

    static func showReschedule(req: Request) async throws -> Response {
        let (_, dispatch, facts) = try await load(req)
        if let refusal = DispatchChange.rescheduleRefusal(facts, today: req.application.hakenClock.today) {
            throw APIError(.conflict, code: "refused", reason: refusal.message)
        }
        let schedule = try dispatch.schedule()
        return try await req.page("form", title: "日程の変更", try page(dispatch, FormState(values: [
            "date": schedule.date.iso, "start": schedule.start.hhmm, "end": schedule.end.hhmm, "place": schedule.place])))
    }

    static func reschedule(req: Request) async throws -> Response {
        let (principal, dispatch, facts) = try await load(req)
        let today = req.application.hakenClock.today
        if let refusal = DispatchChange.rescheduleRefusal(facts, today: today) { throw APIError(.conflict, code: "refused", reason: refusal.message) }
        let values = req.formValues(fields)
        var check = FieldChecker()
        let schedule = DispatchSchedule.validate(.init(date: values["date"], start: values["start"], end: values["end"], place: values["place"]),
                                                 period: req.application.haken.configuration.programme(today: today), into: &check)
        let reason = check.required(values["reason"], field: "reason", label: "変更の理由", maxLength: 1000)
        if let schedule, schedule.date < today {
            check.add(FieldError(field: "date", code: "in_the_past", message: "支援日には今日以降の日付を入力してください。"))
        }
        // CON-1, the same rule as at filing: the consultation stays on or before the day (shown
        // beside the date, the field this form changes).
        if let schedule, let consultationID = dispatch.$consultation.id, let consultation = try await ConsultationModel.find(consultationID, on: req.db) {
            let record = CivilDate(iso: consultation.date).map {
                DispatchFiling.ConsultationRecord(businessID: consultation.$business.id, institutionID: consultation.$institution.id, date: $0)
            }
            if let problem = DispatchFiling.consultationProblem(record, businessID: dispatch.$business.id, institutionID: dispatch.$institution.id,
                                                                dispatchDate: schedule.date) {
                check.add(FieldError(field: "date", code: problem.code, message: problem.message))
            }
        }
        guard let schedule, check.errors.isEmpty else {
            return try await req.page("form", title: "日程の変更",
                                      try page(dispatch, FormState(values: values, failure: ValidationFailure(check.errors), order: fields)), status: .unprocessableEntity)
        }
        let before = try dispatch.schedule()
        let business = try await dispatch.$business.get(on: req.db)
        let expert = try await dispatch.$expert.get(on: req.db)
        let id = try dispatch.requireID()
        let beforeLabel = "\(JapaneseDateFormat.monthDayWeekday(before.date)) \(before.start.hhmm)〜\(before.end.hhmm)"
        let afterLabel = "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)"
        dispatch.date = schedule.date.iso
        dispatch.startTime = schedule.start.hhmm
        dispatch.endTime = schedule.end.hhmm
        dispatch.place = schedule.place
        dispatch.deadline = DispatchDeadline.standard(for: schedule.date).iso
        dispatch.revise()
        let now = req.application.hakenClock.now()
        try await req.db.hakenTransaction { db in
            try await dispatch.save(on: db)
            try await AuditLog.append(.init(actor: principal.actor, action: "dispatch.reschedule", subject: AuditLog.subject("dispatch", id),
                                            details: ["before": "\(before.date.iso) \(before.start.hhmm)-\(before.end.hhmm) \(before.place)",
                                                      "after": "\(schedule.date.iso) \(schedule.start.hhmm)-\(schedule.end.hhmm) \(schedule.place)",
                                                      "reason": reason]), on: db, key: req.application.haken.auditKey, now: now)
            for (recipient, address) in [(business.contactName, business.email), (expert.name, expert.email)] {
                try await WebMail.queue(.dispatchNotice, to: address,
                                        AccountMailText.dispatchRescheduled(recipient: recipient, business: business.name, expert: expert.name,
                                                                            before: beforeLabel, after: afterLabel, place: schedule.place, reason: reason),
                                        dedupe: "rescheduled:\(id.apiString):\(Int(now.timeIntervalSince1970)):\(address)", req: req, on: db)
            }
        }
        return req.seeOther("/dispatches/\(id.apiString)", flash: "日程を変更しました。事業者と専門家にメールでお知らせしました。")
    }

    static func cancel(req: Request) async throws -> Response {
        let (principal, dispatch, facts) = try await load(req)
        if let refusal = DispatchChange.cancelRefusal(facts, today: req.application.hakenClock.today) {
            throw APIError(.conflict, code: "refused", reason: refusal.message)
        }
        let id = try dispatch.requireID()
        let reason = ((try? req.content.get(String.self, at: "reason")) ?? "").trimmingWhitespace
        guard !reason.isEmpty, reason.count <= 1000 else {
            return req.seeOther("/dispatches/\(id.apiString)", flash: "取り消すには理由を入力してください。")
        }
        let business = try await dispatch.$business.get(on: req.db)
        let expert = try await dispatch.$expert.get(on: req.db)
        let schedule = try dispatch.schedule()
        let when = "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)"
        dispatch.cancelled = true
        dispatch.cancelReason = reason
        dispatch.revise()
        let now = req.application.hakenClock.now()
        try await req.db.hakenTransaction { db in
            try await dispatch.save(on: db)
            try await AuditLog.append(.init(actor: principal.actor, action: "dispatch.cancel", subject: AuditLog.subject("dispatch", id),
                                            details: ["reason": reason]), on: db, key: req.application.haken.auditKey, now: now)
            for (recipient, address) in [(business.contactName, business.email), (expert.name, expert.email)] {
                try await WebMail.queue(.dispatchNotice, to: address,
                                        AccountMailText.dispatchCancelled(recipient: recipient, business: business.name, expert: expert.name, when: when, reason: reason),
                                        dedupe: "cancelled:\(id.apiString):\(address)", req: req, on: db)
            }
        }
        return req.seeOther("/dispatches/\(id.apiString)", flash: "派遣を取り消しました。事業者と専門家にメールでお知らせしました。")
    }
}
