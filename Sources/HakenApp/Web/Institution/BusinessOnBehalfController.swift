import Fluent
import HakenCore
import HakenStore
import Vapor

/// The institution acting for a business it deals with: `/businesses/new` registers a
/// business that has not signed up yet (its person in charge later signs up with the same
/// address and gets it: REG-2), and `/businesses/{id}/consent` sends the year's photo
/// consent on its behalf (AFT-1: the signed PDF or a scan), for the secretariat to check.
enum BusinessOnBehalfController {
    static let fields = ["name", "kanaName", "contactName", "email", "phone"]

    static func registrationPage(_ state: FormState) -> FormPage {
        FormPage(heading: "事業者の登録（支援機関が代わりに）",
             intro: "まだ HakenDesk に登録していない事業者を登録します。ご担当者が同じメールアドレスで新規登録すると、この事業者情報を引き継ぎます。",
             action: "/businesses/new", multipart: false, submit: "登録して経営相談の記録へ進む", form: state, fields: [
                state.field("name", "事業者名", required: true),
                state.field("kanaName", "事業者名（カナ）"),
                state.field("contactName", "ご担当者名", required: true),
                state.field("email", "ご担当者のメールアドレス", type: "email", required: true, hint: "当日の報告を送る登録メールアドレスになります。"),
                state.field("phone", "電話番号", type: "tel"),
             ])
    }

    static func showRegistration(req: Request) async throws -> Response {
        _ = try req.institutionStaff()
        return try await req.page("form", title: "事業者の登録", registrationPage(FormState()))
    }

    static func register(req: Request) async throws -> Response {
        let principal = try req.institutionStaff()
        let values = req.formValues(fields)
        let profile: BusinessProfile
        do {
            profile = try BusinessProfile.validate(.init(name: values["name"], kanaName: values["kanaName"], phone: values["phone"],
                                                         contactName: values["contactName"], email: values["email"]))
        } catch {
            return try await req.page("form", title: "事業者の登録", registrationPage(FormState(values: values, failure: error, order: fields)),
                                      status: .unprocessableEntity)
        }
        do {
            _ = try await PartiesController.create(BusinessModel(profile: profile), kind: "business", path: "businesses", by: principal,
                                                   addresses: [(profile.registeredEmail, "email")],
                                                   details: Accounts.profileDetails(profile), req: req)
        } catch let error as APIError where !error.errors.isEmpty {
            return try await req.page("form", title: "事業者の登録",
                                      registrationPage(FormState(values: values, failure: ValidationFailure(error.errors), order: fields)), status: error.status)
        }
        var components = URLComponents()
        components.path = "/consultations/new"
        components.queryItems = [URLQueryItem(name: "businessEmail", value: profile.registeredEmail.address)]
        return req.seeOther(components.string ?? "/consultations/new", flash: "\(profile.name)を登録しました。続けて経営相談を記録してください。")
    }

    // MARK: - AFT-1: the photo consent on the business's behalf

    static func business(_ req: Request) async throws -> (Principal, BusinessModel) {
        let principal = try req.institutionStaff()
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let business = try await BusinessModel.find(id, on: req.db) else {
            throw APIError.notFound("事業者")
        }
        guard principal.may(.read, try await PartyReadController.businessResource(id, on: req.db)) else { throw APIError.forbidden }
        return (principal, business)
    }

    static func consentPage(_ business: BusinessModel, fiscalYear: FiscalYear, state: FormState) -> FormPage {
        FormPage(heading: "写真提出の同意書（\(fiscalYear.label)）",
                    intro: "\(business.name)の\(fiscalYear.label)（\(fiscalYear.eraLabel)）の同意書を、事業者に代わって提出します。事業者が署名した同意書の PDF またはスキャン画像を選んでください。事務局が確認します。",
                    action: "/businesses/\(business.id?.apiString ?? "")/consent", multipart: true, submit: "同意書を提出する", form: state, fields: [
                        FormField(name: "scan", label: "同意書のファイル", type: "file", required: true, hint: "PDF・JPEG・PNG・HEIC、10MBまで。",
                                  error: state.errors["scan"]),
                    ])
    }

    static func showConsent(req: Request) async throws -> Response {
        let (_, business) = try await business(req)
        let year = FiscalYear(containing: req.application.hakenClock.today)
        if let existing = try await PhotoConsents.find(businessID: try business.requireID(), fiscalYear: year, on: req.db),
           existing.status == EvidenceStatus.accepted.rawValue {
            return try await req.page("message", title: "写真提出の同意書", Message(
                heading: "写真提出の同意書（\(year.label)）", paragraphs: ["\(business.name)の\(year.label)の同意書は受理済みです。提出は不要です。"],
                link: "/dispatches", linkLabel: "派遣一覧へ"))
        }
        return try await req.page("form", title: "写真提出の同意書", consentPage(business, fiscalYear: year, state: FormState()))
    }

    static func sendConsent(req: Request) async throws -> Response {
        let (principal, business) = try await business(req)
        let year = FiscalYear(containing: req.application.hakenClock.today)
        let stored: BlobStore.Stored
        switch UploadedFile.read(req, field: "scan", acceptPDF: true, wording: .init(
            missing: "同意書のファイルを選んでください。", tooLarge: "ファイルは10MB以内にしてください。",
            wrongKind: "同意書は PDF または画像（JPEG・PNG・HEIC）のファイルを選んでください。")) {
        case .success(let file):
            stored = try file.store(kind: "consent", req: req)
        case .failure(let problem):
            return try await req.page("form", title: "写真提出の同意書", consentPage(business, fiscalYear: year, state: FormState(values: [:], failure: ValidationFailure([problem]))),
                                      status: .unprocessableEntity)
        }
        let now = req.application.hakenClock.now()
        let businessID = try business.requireID()
        try await req.db.hakenTransaction { db in
            let recorded = try await PhotoConsents.recordCandidate(businessID: businessID, fiscalYear: year, receivedAt: now,
                                                                   note: "支援機関が提出（確認待ち）", source: "institution", file: stored.path, on: db)
            try await AuditLog.append(.init(actor: principal.actor, action: "consent.submit", subject: AuditLog.subject("business", businessID),
                                            details: ["fiscalYear": String(year.startYear), "file": stored.path, "sha256": stored.sha256,
                                                      "recorded": recorded ? "candidate" : "already accepted"]),
                                      on: db, key: req.application.haken.auditKey, now: now)
        }
        return req.seeOther("/dispatches", flash: "\(business.name)の\(year.label)の同意書を提出しました。事務局が確認します。")
    }
}
