import Fluent
import HakenCore
import HakenMail
import HakenStore
import Vapor

/// The institution's two forms: `/consultations/new` records the in-person consultation with
/// its photo (CON-1, CON-2), and `/consultations/{id}/dispatch` files the dispatch from it:
/// the institution chooses the expert and the schedule (CON-3…CON-5). Both go through the
/// same code as the API (ConsultationsController.record, DispatchesController.file).
enum InstitutionPagesController {
    static let consultationFields = ["businessEmail", "date", "mode", "disasterMeasure", "consultedPerson"]
    /// A phone's photo; larger is refused before it is read whole.
    static let maxPhotoBytes = 10 * 1024 * 1024

    struct Page: Encodable {
        var heading: String
        var intro: String
        var action: String
        var multipart: Bool
        var submit: String
        var form: FormState
        var fields: [FormField]
    }

    static func institution(_ req: Request) throws -> Principal {
        let principal = try req.signedIn()
        guard principal.role == .institution || principal.isSecretariat else { throw APIError.forbidden }
        return principal
    }

    static func consultationPage(_ state: FormState, today: CivilDate) -> Page {
        Page(heading: "経営相談の記録", intro: "事業者が来所して相談した記録です。専門家派遣はこの記録をもとに申請します（対面が原則。災害時の特例措置による電話・オンライン相談は、その措置の名称を記入）。",
             action: "/consultations/new", multipart: true, submit: "記録して派遣申請へ進む", form: state, fields: [
                state.field("businessEmail", "事業者の登録メールアドレス", type: "email", required: true,
                            hint: "事業者が HakenDesk に登録したアドレス。未登録の事業者には、先に新規登録をお願いしてください。"),
                state.field("date", "相談日", type: "date", required: true),
                state.field("mode", "相談の方法", type: "radio", required: true,
                            options: [("in_person", "対面"), ("online", "電話・オンライン（災害時の特例措置）")]),
                state.field("disasterMeasure", "特例措置の名称", hint: "電話・オンラインの場合のみ。"),
                state.field("consultedPerson", "相談した方の氏名", required: true, hint: "写真に写り、支援を受ける方です（CON-2）。"),
                FormField(name: "photo", label: "相談時の写真", type: "file", required: true, hint: "JPEG・PNG・HEIC、10MBまで。", error: state.errors["photo"]),
             ])
    }

    static func newConsultation(req: Request) async throws -> Response {
        _ = try institution(req)
        return try await req.page("institution-form", title: "経営相談の記録",
                                  consultationPage(FormState(values: ["date": req.application.hakenClock.today.iso, "mode": "in_person"]),
                                                   today: req.application.hakenClock.today))
    }

    struct Upload: Content { var photo: File? }

    static func recordConsultation(req: Request) async throws -> Response {
        let principal = try institution(req)
        let values = req.formValues(consultationFields)
        let today = req.application.hakenClock.today
        func again(_ failure: ValidationFailure, status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
            try await req.page("institution-form", title: "経営相談の記録", consultationPage(FormState(values: values, failure: failure), today: today), status: status)
        }
        var problems: [FieldError] = []
        var business: BusinessModel?
        if let email = EmailAddress(values["businessEmail"] ?? "") {
            business = try await BusinessModel.query(on: req.db).filter(\.$emailKey == email.matchKey).first()
            if business == nil {
                problems.append(FieldError(field: "businessEmail", code: "not_found", message: "このアドレスで登録された事業者が見つかりません。事業者に新規登録をお願いしてください。"))
            }
        } else {
            problems.append(FieldError(field: "businessEmail", code: "invalid_email", message: "事業者の登録メールアドレスを入力してください。"))
        }
        // CON-2: the photo, checked by its content, never by its name.
        let upload = try? req.content.decode(Upload.self)
        var photo: (bytes: [UInt8], format: ImageFormat)?
        if let file = upload?.photo, file.data.readableBytes > 0 {
            let bytes = Array(file.data.readableBytesView)
            if bytes.count > maxPhotoBytes {
                problems.append(FieldError(field: "photo", code: "too_large", message: "写真は10MB以内にしてください。"))
            } else if let format = ImageFormat.sniff(Array(bytes.prefix(ImageFormat.sniffLength))), [.jpeg, .png, .heic].contains(format) {
                photo = (bytes, format)
            } else {
                problems.append(FieldError(field: "photo", code: "not_an_image", message: "写真は JPEG・PNG・HEIC の画像ファイルを選んでください。"))
            }
        } else {
            problems.append(FieldError(field: "photo", code: "required", message: "相談時の写真を選んでください。"))
        }
        guard let business, let photo, problems.isEmpty else { return try await again(ValidationFailure(problems)) }
        let institutionID = principal.partyID ?? UUID()
        let blobs = BlobStore(root: req.application.haken.configuration.store.blobDirectory)
        let stored = try photo.bytes.withUnsafeBytes { try blobs.put($0, kind: "consultation", suffix: photo.format.suffix) }
        let input = ConsultationsController.Input(institutionId: institutionID.apiString, businessId: try business.requireID().apiString,
                                                  date: values["date"], mode: values["mode"], disasterMeasure: values["disasterMeasure"],
                                                  consultedPerson: values["consultedPerson"], photographed: true)
        let model: ConsultationModel
        do {
            model = try await ConsultationsController.record(input, photoPath: stored.path, by: principal, req: req)
        } catch {
            guard let (failure, status) = formFailure(error) else { throw error }
            return try await again(failure, status: status)
        }
        return req.seeOther("/consultations/\(try model.requireID().apiString)/dispatch", flash: "経営相談を記録しました。続けて派遣を申請できます。")
    }

    // MARK: - Filing the dispatch

    static let dispatchFields = ["expertId", "date", "start", "end", "place"]

    static func dispatchPage(_ state: FormState, consultation: ConsultationModel, business: String, experts: [ExpertModel]) -> Page {
        Page(heading: "派遣の申請", intro: "\(business)（相談日 \(consultation.date)、相談者 \(consultation.consultedPerson)）への専門家派遣を申請します。専門家は支援機関が選びます（CON-4）。",
             action: "/consultations/\(consultation.id?.apiString ?? "")/dispatch", multipart: false, submit: "派遣を申請する", form: state, fields: [
                state.field("expertId", "専門家", type: "select", required: true, options: experts.compactMap { expert in expert.id.map { ($0.apiString, expert.name) } }),
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
        return (consultation, try await consultation.$business.get(on: req.db))
    }

    static func experts(_ req: Request) async throws -> [ExpertModel] {
        try await ExpertModel.query(on: req.db).sort(\.$name).limit(500).all()
    }

    static func newDispatch(req: Request) async throws -> Response {
        let principal = try institution(req)
        let (consultation, business) = try await consultation(req, principal)
        return try await req.page("institution-form", title: "派遣の申請",
                                  dispatchPage(FormState(values: ["start": "10:00", "end": "12:00"]), consultation: consultation, business: business.name,
                                               experts: try await experts(req)))
    }

    static func fileDispatch(req: Request) async throws -> Response {
        let principal = try institution(req)
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
            return try await req.page("institution-form", title: "派遣の申請",
                                      dispatchPage(FormState(values: values, failure: failure), consultation: consultation,
                                                   business: business.name, experts: try await experts(req)),
                                      status: status)
        }
    }
}
