import Fluent
import HakenCore
import HakenStore
import Vapor

/// `/api/v1/dispatches`: the institution files a dispatch (CON-3…CON-5); every party to it
/// reads where it stands.
enum DispatchesController {
    struct CreateInput: Content {
        var businessId: String?
        var expertId: String?
        var institutionId: String?
        var consultationId: String?
        var date: String?
        var start: String?
        var end: String?
        var place: String?
    }

    static func create(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat, .institution])
        let dispatch = try await file(try req.content.decode(CreateInput.self), by: principal, req: req)
        return try await PartiesController.created(dispatch.requireID(), path: "dispatches", req: req)
    }

    /// Checks and files a dispatch (CON-1…CON-5) and tells the business and the expert by
    /// mail: the one path of the API and the institution's page. Throws `APIError`.
    static func file(_ input: CreateInput, by principal: Principal, req: Request) async throws -> DispatchModel {

        var check = FieldChecker()
        let schedule = DispatchSchedule.validate(.init(date: input.date, start: input.start, end: input.end, place: input.place),
                                                 period: req.application.haken.configuration.programme(today: req.application.hakenClock.today), into: &check)
        let businessID = check.uuid(input.businessId, field: "businessId", label: "事業者ID")
        let expertID = check.uuid(input.expertId, field: "expertId", label: "専門家ID")
        let institutionID = check.uuid(input.institutionId, field: "institutionId", label: "支援機関ID")
        let consultationID = check.uuid(input.consultationId, field: "consultationId", label: "経営相談ID")
        try check.finish()
        guard let schedule, let businessID, let expertID, let institutionID, let consultationID else {
            throw APIError.field("date", code: "required", message: "入力を確認してください。")
        }

        if !principal.may(.fileDispatch, .consultation(institution: institutionID, business: businessID)) {
            throw principal.role == .institution
                ? APIError(.forbidden, code: "forbidden", reason: "他の支援機関の名義で派遣を申請することはできません（CON-3）。")
                : APIError(.forbidden, code: "forbidden", reason: "派遣の申請は支援機関が行います（CON-3/CON-4）。")
        }

        let business = try await BusinessModel.find(businessID, on: req.db)
        let expert = try await ExpertModel.find(expertID, on: req.db)
        let institution = try await InstitutionModel.find(institutionID, on: req.db)
        let consultation = try await ConsultationModel.find(consultationID, on: req.db)
        var missing = FieldChecker()
        if business == nil { missing.add(notFound("businessId", "事業者")) }
        if expert == nil { missing.add(notFound("expertId", "専門家")) }
        if institution == nil { missing.add(notFound("institutionId", "支援機関")) }
        if consultation == nil { missing.add(notFound("consultationId", "経営相談")) }
        try missing.finish()
        guard let business, let expert, let consultation else { throw APIError.notFound("事業者または専門家") }
        let record = CivilDate(iso: consultation.date).map {
            DispatchFiling.ConsultationRecord(businessID: consultation.$business.id, institutionID: consultation.$institution.id, date: $0)
        }
        if let problem = DispatchFiling.consultationProblem(record, businessID: businessID, institutionID: institutionID, dispatchDate: schedule.date) {
            throw APIError.validation(ValidationFailure([problem]))
        }
        // CON-3: a consultation where the institution decided no expert is needed carries no dispatch.
        if consultation.expertNeeded == false {
            throw APIError.field("consultationId", code: "expert_not_needed",
                                 message: "この経営相談では専門家の派遣は不要と記録されています（CON-3）。")
        }
        // CON-4: an expert who belongs to or is paid by this institution cannot be chosen by it.
        if try await ExpertAffiliationModel.query(on: req.db).filter(\.$expert.$id == expertID).filter(\.$institution.$id == institutionID).count() > 0 {
            throw APIError.field("expertId", code: "conflict_of_interest",
                                 message: "この専門家は貴機関に所属しているか、貴機関から報酬を受けているため、派遣の専門家に選べません（CON-4）。")
        }
        guard let expertEmail = EmailAddress(expert.email) else { throw StoredValueError(what: "expert email") }
        if DispatchFiling.expertIsTheBusiness(expertEmail: expertEmail, expertName: expert.name, business: try business.profile()) {
            throw APIError.field("expertId", code: "expert_is_business", message: "派遣先の事業者自身を専門家に指定することはできません。")
        }
        // The same visit filed twice (a double click, a retried request) is one dispatch.
        let twin = try await DispatchModel.query(on: req.db)
            .filter(\.$business.$id == businessID).filter(\.$expert.$id == expertID)
            .filter(\.$date == schedule.date.iso).filter(\.$startTime == schedule.start.hhmm).filter(\.$endTime == schedule.end.hhmm)
            .filter(\.$cancelled == false).first()
        if let twin {
            throw APIError.field("date", code: "duplicate_dispatch",
                                 message: "同じ事業者・専門家・日時の派遣が既に申請されています（派遣ID \(try twin.requireID().uuidString.lowercased())）。",
                                 status: .conflict)
        }

        let dispatch = DispatchModel(businessID: businessID, expertID: expertID, institutionID: institutionID, schedule: schedule)
        dispatch.$consultation.id = consultationID
        let institutionName = try await InstitutionModel.find(institutionID, on: req.db)?.name ?? ""
        let when = "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)"
        try await req.db.hakenTransaction { db in
            try await dispatch.create(on: db)
            let id = try dispatch.requireID()
            try await AuditLog.append(.init(actor: principal.actor, action: "dispatch.create", subject: AuditLog.subject("dispatch", id),
                                            details: ["business": business.name, "expert": expert.name, "date": schedule.date.iso,
                                                      "start": schedule.start.hhmm, "end": schedule.end.hhmm, "place": schedule.place,
                                                      "consultation": consultationID.uuidString.lowercased()]),
                                      on: db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
            // #12, CON-2: a consultation photo that is another record's picture is flagged on this dispatch.
            let configuration = req.application.haken.configuration
            let reused = try await PhotoFingerprints.consultationReuse(consultationID, dispatchID: id, settings: configuration.photoChecks, on: db)
            try await Discrepancies.review([], toleranceMinutes: configuration.timeGapMinutes, extra: reused, actor: principal.actor, on: db,
                                           key: req.application.haken.auditKey, now: req.application.hakenClock.now())
            // CON-5: the business and the expert are told.
            for (recipient, address) in [(business.contactName, business.email), (expert.name, expert.email)] {
                try await WebMail.queue(.dispatchNotice, to: address,
                                        AccountMailText.dispatchFiled(recipient: recipient, business: business.name, expert: expert.name,
                                                                      institution: institutionName, when: when, place: schedule.place),
                                        dedupe: "filed:\(id.apiString):\(address)", req: req, on: db)
            }
        }
        return dispatch
    }

    static func show(req: Request) async throws -> DispatchView {
        let principal = try req.principal()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let dispatch = try await DispatchModel.find(id, on: req.db) else {
            throw APIError.notFound("派遣")
        }
        try authorize(principal, toRead: dispatch)
        guard let view = try await DispatchView.make(dispatch, today: req.application.hakenClock.today, on: req.db).first else {
            throw APIError.notFound("派遣")
        }
        return view
    }

    struct Page: Content {
        var items: [DispatchView]
        var page: Int
        var per: Int
        var total: Int
    }

    /// Each party sees its own dispatches; the secretariat sees all. Newest day first.
    static func list(req: Request) async throws -> Page {
        let principal = try req.principal()
        let paging = try Paging.from(req, defaultPer: 50, maxPer: 200)
        let scope = scope(for: principal)
        let total = try await DispatchListing.count(scope, on: req.db)
        let rows = try await DispatchListing.page(scope, offset: paging.offset, limit: paging.per, on: req.db)
        let items = try await DispatchView.make(rows, today: req.application.hakenClock.today, on: req.db)
        return Page(items: items, page: paging.page, per: paging.per, total: total)
    }

    /// The dispatches `principal` may read: the list's side of the policy's `.read` on a
    /// dispatch (AccessPolicy; the permission matrix test holds the two together). A party-less
    /// caller of a party role sees nothing (a random id matches no row).
    static func scope(for principal: Principal) -> DispatchListing.Scope {
        let party = principal.partyID ?? UUID()
        switch principal.role {
        case .secretariat: return .all
        case .institution: return .institution(party)
        case .business: return .business(party)
        case .expert: return .expert(party)
        }
    }

    static func authorize(_ principal: Principal, toRead dispatch: DispatchModel) throws {
        if !principal.may(.read, .dispatch(dispatch.parties)) { throw APIError.forbidden }
    }

    static func notFound(_ field: String, _ what: String) -> FieldError {
        FieldError(field: field, code: "not_found", message: "指定された\(what)が見つかりません。")
    }
}

extension FieldChecker {
    /// A required id in UUID form.
    mutating func uuid(_ value: String?, field: String, label: String) -> UUID? {
        guard let text = value, !text.trimmingWhitespace.isEmpty else {
            add(.required(field, label: label))
            return nil
        }
        guard let id = UUID(uuidString: text) else {
            add(FieldError(field: field, code: "invalid_id", message: "\(label)の形式が正しくありません。"))
            return nil
        }
        return id
    }
}
