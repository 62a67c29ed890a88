import Fluent
import HakenCore
import HakenStore
import Vapor

/// `POST /api/v1/consultations`: the institution records the in-person consultation that
/// precedes a dispatch (CON-1, CON-2).
enum ConsultationsController {
    struct Input: Content {
        var institutionId: String?
        var businessId: String?
        var date: String?
        var mode: String?
        var disasterMeasure: String?
        var consultedPerson: String?
        var photographed: Bool?
    }

    static func create(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat, .institution])
        let model = try await record(try req.content.decode(Input.self), by: principal, req: req)
        return try await PartiesController.created(model.requireID(), path: "consultations", req: req)
    }

    /// Checks and records a consultation: the one path of the API and the institution's page.
    /// Throws `APIError` naming the fields at fault.
    /// What only the institution's page records beside the API's fields (CON-2, CON-3, CON-4).
    struct PageFacts: Sendable {
        var photoPath: String?
        var businessWish: String?
        var theme: String?
        var expertNeeded: Bool?
    }

    static func record(_ input: Input, page: PageFacts = PageFacts(), by principal: Principal, req: Request) async throws -> ConsultationModel {
        var check = FieldChecker()
        let institutionID = check.uuid(input.institutionId, field: "institutionId", label: "支援機関ID")
        let businessID = check.uuid(input.businessId, field: "businessId", label: "事業者ID")
        var consultation: Consultation?
        do {
            consultation = try Consultation.validate(.init(date: input.date, mode: input.mode, disasterMeasure: input.disasterMeasure,
                                                           consultedPerson: input.consultedPerson, photographed: input.photographed),
                                                     period: req.application.haken.configuration.programme(today: req.application.hakenClock.today))
        } catch {
            for fieldError in error.errors { check.add(fieldError) }
        }
        try check.finish()
        guard let institutionID, let businessID, let consultation else {
            throw APIError.field("date", code: "required", message: "入力を確認してください。")
        }
        if !principal.may(.recordConsultation, .consultation(institution: institutionID, business: businessID)) { throw APIError.forbidden }
        var missing = FieldChecker()
        if try await InstitutionModel.find(institutionID, on: req.db) == nil {
            missing.add(DispatchesController.notFound("institutionId", "支援機関"))
        }
        if try await BusinessModel.find(businessID, on: req.db) == nil {
            missing.add(DispatchesController.notFound("businessId", "事業者"))
        }
        try missing.finish()

        let model = ConsultationModel(institutionID: institutionID, businessID: businessID, consultation: consultation)
        model.photoPath = page.photoPath
        model.businessWish = page.businessWish
        model.theme = page.theme
        model.expertNeeded = page.expertNeeded
        try await req.db.hakenTransaction { db in
            try await model.create(on: db)
            var details = ["mode": model.mode, "consultedPerson": model.consultedPerson, "date": model.date]
            details["photo"] = page.photoPath
            details["theme"] = page.theme
            details["expertNeeded"] = page.expertNeeded.map { $0 ? "yes" : "no" }
            try await AuditLog.append(.init(actor: principal.actor, action: "consultation.create", subject: AuditLog.subject("consultation", try model.requireID()),
                                            details: details), on: db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        }
        return model
    }
}
