import Fluent
import HakenCore
import HakenImage
import HakenStore
import Vapor

/// The institution's two forms: `/consultations/new` records the in-person consultation with
/// its photo (CON-1, CON-2), and `/consultations/{id}/dispatch` files the dispatch from it:
/// the institution chooses the expert and the schedule (CON-3…CON-5). Both go through the
/// same code as the API (ConsultationsController.record, DispatchesController.file).
enum InstitutionPagesController {
    static let consultationFields = ["businessEmail", "date", "mode", "disasterMeasure", "consultedPerson", "theme", "expertNeeded", "businessWish"]

    static func consultationPage(_ state: FormState, today: CivilDate) -> FormPage {
        FormPage(heading: "経営相談の記録", intro: "事業者が来所して相談した記録です。専門家派遣はこの記録をもとに申請します（対面が原則。災害時の特例措置による電話・オンライン相談は、その措置の名称を記入）。",
             action: "/consultations/new", multipart: true, submit: "記録して派遣申請へ進む", form: state, fields: [
                state.field("businessEmail", "事業者の登録メールアドレス", type: "email", required: true,
                            hint: "事業者が HakenDesk に登録したアドレス。未登録の事業者は、メニューの「事業者の登録」から代わりに登録できます。"),
                state.field("date", "相談日", type: "date", required: true),
                state.field("mode", "相談の方法", type: "radio", required: true,
                            options: [("in_person", "対面"), ("online", "電話・オンライン（災害時の特例措置）")]),
                state.field("disasterMeasure", "特例措置の名称", hint: "電話・オンラインの場合のみ。"),
                state.field("consultedPerson", "相談した方の氏名", required: true, hint: "写真に写り、支援を受ける方です（CON-2）。"),
                state.field("theme", "相談のテーマ", type: "textarea", required: true, hint: "例: 資金繰りの改善、新商品の販路開拓"),
                state.field("expertNeeded", "専門家の派遣", type: "radio", required: true,
                            options: [("yes", "必要（続けて派遣を申請する）"), ("no", "不要（相談の記録のみ）")]),
                state.field("businessWish", "事業者の希望（専門家・分野）", type: "textarea",
                            hint: "事業者は希望を伝えることはできますが、専門家を選ぶのは支援機関です（CON-4）。"),
                FormField(name: "photo", label: "相談時の写真", type: "file", required: true, hint: "JPEG・PNG・HEIC、10MBまで。", error: state.errors["photo"]),
             ])
    }

    static func newConsultation(req: Request) async throws -> Response {
        _ = try req.institutionStaff()
        let email = String((req.query[String.self, at: "businessEmail"] ?? "").prefix(254))
        return try await req.page("form", title: "経営相談の記録",
                                  consultationPage(FormState(values: ["date": req.application.hakenClock.today.iso, "mode": "in_person", "businessEmail": email]),
                                                   today: req.application.hakenClock.today))
    }

    static func recordConsultation(req: Request) async throws -> Response {
        let principal = try req.institutionStaff()
        let values = req.formValues(consultationFields)
        let today = req.application.hakenClock.today
        func again(_ failure: ValidationFailure, status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
            try await req.page("form", title: "経営相談の記録", consultationPage(FormState(values: values, failure: failure), today: today), status: status)
        }
        var problems: [FieldError] = []
        var business: BusinessModel?
        if let email = EmailAddress(values["businessEmail"] ?? "") {
            business = try await BusinessModel.query(on: req.db).filter(\.$emailKey == email.matchKey).first()
            if business == nil {
                problems.append(FieldError(field: "businessEmail", code: "not_found", message: "このアドレスで登録された事業者が見つかりません。事業者に新規登録をお願いするか、「事業者の登録」から代わりに登録してください。"))
            }
        } else {
            problems.append(FieldError(field: "businessEmail", code: "invalid_email", message: "事業者の登録メールアドレスを入力してください。"))
        }
        // CON-2: the photo, checked by its content, never by its name.
        var photo: UploadedFile?
        switch UploadedFile.read(req, field: "photo", acceptPDF: false, wording: .init(
            missing: "相談時の写真を選んでください。", tooLarge: "写真は10MB以内にしてください。",
            wrongKind: "写真は JPEG・PNG・HEIC の画像ファイルを選んでください。")) {
        case .success(let file): photo = file
        case .failure(let problem): problems.append(problem)
        }
        let theme = (values["theme"] ?? "").trimmingWhitespace
        if theme.isEmpty {
            problems.append(.required("theme", label: "相談のテーマ"))
        } else if theme.count > 2000 {
            problems.append(FieldError(field: "theme", code: "too_long", message: "相談のテーマは2000文字以内にしてください。"))
        }
        // CON-3: only the institution decides that an expert is needed.
        let expertNeeded: Bool? = values["expertNeeded"] == "yes" ? true : values["expertNeeded"] == "no" ? false : nil
        if expertNeeded == nil { problems.append(FieldError(field: "expertNeeded", code: "required", message: "専門家の派遣が必要かどうかを選んでください。")) }
        // The consultation's own checks before the photo is stored, so a refused form leaves no file.
        do {
            _ = try Consultation.validate(.init(date: values["date"], mode: values["mode"], disasterMeasure: values["disasterMeasure"],
                                                consultedPerson: values["consultedPerson"], photographed: true),
                                          period: req.application.haken.configuration.programme(today: today))
        } catch {
            problems += error.errors
        }
        guard let business, let photo, let expertNeeded, problems.isEmpty else {
            return try await again(ValidationFailure(problems.sorted { a, b in
                (consultationFields.firstIndex(of: a.field) ?? 99) < (consultationFields.firstIndex(of: b.field) ?? 99)
            }))
        }
        let institutionID = principal.partyID ?? UUID()
        let stored = try photo.store(kind: "consultation", req: req)
        let input = ConsultationsController.Input(institutionId: institutionID.apiString, businessId: try business.requireID().apiString,
                                                  date: values["date"], mode: values["mode"], disasterMeasure: values["disasterMeasure"],
                                                  consultedPerson: values["consultedPerson"], photographed: true)
        let model: ConsultationModel
        do {
            let wish = values["businessWish"].map { String($0.trimmingWhitespace.prefix(1000)) }.flatMap { $0.isEmpty ? nil : $0 }
            model = try await ConsultationsController.record(input, page: .init(photoPath: stored.path, businessWish: wish, theme: theme, expertNeeded: expertNeeded),
                                                             by: principal, req: req)
        } catch {
            guard let (failure, status) = formFailure(error) else { throw error }
            return try await again(failure, status: status)
        }
        // #12: the consultation photo's facts and hash, so a support photo that is this picture again is found.
        let consultationPhoto = PhotoFingerprints.Entry(kind: .consultation, consultationID: try model.requireID(), file: stored.path,
                                                        facts: PhotoInspector.facts(photo.bytes))
        _ = try await PhotoFingerprints.record([consultationPhoto], settings: req.application.haken.configuration.photoChecks, on: req.db,
                                               now: req.application.hakenClock.now())
        guard expertNeeded else { return req.seeOther("/dispatches", flash: "経営相談を記録しました（専門家の派遣は不要）。") }
        return req.seeOther("/consultations/\(try model.requireID().apiString)/dispatch", flash: "経営相談を記録しました。続けて派遣を申請できます。")
    }

    // MARK: - Filing the dispatch

    static let dispatchFields = ["expertId", "date", "start", "end", "place"]

    struct DispatchForm: Encodable {
        var heading: String
        var intro: String
        var wish: String?
        var action: String
        var searchAction: String
        var specialty: String
        var regions: [FormField.Option]
        var found: Int
        var excluded: Int
        var form: FormState
        var fields: [FormField]
    }

    /// CON-4: experts by specialty and region, without those who belong to or are paid by
    /// this institution.
    struct Search {
        var specialty: String
        var region: String

        func experts(for institutionID: UUID, on db: Database) async throws -> (experts: [ExpertModel], excluded: Int) {
            var query = ExpertModel.query(on: db).sort(\.$name)
            if !specialty.isEmpty { query = query.filter(\.$specialties, .custom("LIKE"), "%\(specialty)%") }
            if !region.isEmpty { query = query.filter(\.$region == region) }
            let conflicted = Set(try await ExpertAffiliationModel.query(on: db).filter(\.$institution.$id == institutionID).all().map { $0.$expert.id })
            let all = try await query.limit(500).all()
            let allowed = all.filter { $0.id.map { !conflicted.contains($0) } ?? false }
            return (allowed, all.count - allowed.count)
        }
    }

    static func search(_ req: Request) -> Search {
        Search(specialty: String((req.query[String.self, at: "specialty"] ?? "").trimmingWhitespace.prefix(50)),
               region: Prefecture(rawValue: req.query[String.self, at: "region"] ?? "")?.rawValue ?? "")
    }

    static func dispatchPage(_ state: FormState, consultation: ConsultationModel, business: String, experts: [ExpertModel], excluded: Int,
                             search: Search) -> DispatchForm {
        let id = consultation.id?.apiString ?? ""
        return DispatchForm(
            heading: "派遣の申請",
            intro: "\(business)（相談日 \(consultation.date)、相談者 \(consultation.consultedPerson)）への専門家派遣を申請します。専門家は支援機関が選びます（CON-4）。",
            wish: consultation.businessWish, action: "/consultations/\(id)/dispatch", searchAction: "/consultations/\(id)/dispatch",
            specialty: search.specialty,
            regions: Prefecture.allCases.map { .init(value: $0.rawValue, label: $0.japaneseName, selected: $0.rawValue == search.region) },
            found: experts.count, excluded: excluded, form: state, fields: [
                state.field("expertId", "専門家", type: "select", required: true, options: experts.compactMap { expert in
                    expert.id.map { ($0.apiString, expert.name + (expert.specialties.map { "（\($0)）" } ?? "")) }
                }),
                state.field("date", "支援日", type: "date", required: true),
                state.field("start", "開始時刻", type: "time", required: true),
                state.field("end", "終了時刻", type: "time", required: true),
                state.field("place", "支援の場所", required: true, hint: "例: 本社会議室"),
            ])
    }

    static func consultation(_ req: Request, _ principal: Principal) async throws -> (ConsultationModel, BusinessModel) {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let consultation = try await ConsultationModel.find(id, on: req.db) else {
            throw APIError.notFound("経営相談")
        }
        guard principal.may(.fileDispatch, .consultation(institution: consultation.$institution.id, business: consultation.$business.id)) else {
            throw APIError.forbidden
        }
        if consultation.expertNeeded == false {
            throw APIError(.conflict, code: "expert_not_needed", reason: "この経営相談では専門家の派遣は不要と記録されています。派遣が必要になった場合は、あらためて経営相談を記録してください（CON-3）。")
        }
        return (consultation, try await consultation.$business.get(on: req.db))
    }


    static func newDispatch(req: Request) async throws -> Response {
        let principal = try req.institutionStaff()
        let (consultation, business) = try await consultation(req, principal)
        let search = search(req)
        let (experts, excluded) = try await search.experts(for: consultation.$institution.id, on: req.db)
        return try await req.page("dispatch-form", title: "派遣の申請",
                                  dispatchPage(FormState(values: ["start": "10:00", "end": "12:00"]), consultation: consultation, business: business.name,
                                               experts: experts, excluded: excluded, search: search))
    }

    static func fileDispatch(req: Request) async throws -> Response {
        let principal = try req.institutionStaff()
        let (consultation, business) = try await consultation(req, principal)
        let values = req.formValues(dispatchFields)
        let input = DispatchesController.CreateInput(businessId: consultation.$business.id.apiString, expertId: values["expertId"],
                                                     institutionId: consultation.$institution.id.apiString, consultationId: try consultation.requireID().apiString,
                                                     date: values["date"], start: values["start"], end: values["end"], place: values["place"])
        do {
            let dispatch = try await DispatchesController.file(input, by: principal, req: req)
            return req.seeOther("/dispatches/\(try dispatch.requireID().apiString)", flash: "派遣を申請しました。事業者と専門家にメールでお知らせしました。")
        } catch {
            guard let (failure, status) = formFailure(error) else { throw error }
            let search = search(req)
            let (experts, excluded) = try await search.experts(for: consultation.$institution.id, on: req.db)
            return try await req.page("dispatch-form", title: "派遣の申請",
                                      dispatchPage(FormState(values: values, failure: failure, order: dispatchFields), consultation: consultation,
                                                   business: business.name, experts: experts, excluded: excluded, search: search),
                                      status: status)
        }
    }
}
