import Fluent
import HakenCore
import HakenStore
import Vapor

/// `GET /api/v1/{institutions,experts,businesses,consultations}/{id}`: what the `Location` of a
/// create names. Each party reads itself; an institution reads the experts it may choose
/// (CON-4) and the businesses and consultations it deals with; the secretariat reads all.
/// Anyone else gets 403, and an unknown id 404 (to the secretariat) — a stranger cannot probe ids.
enum PartyReadController {
    struct InstitutionView: Content { var id: String; var name: String; var kind: String; var kindLabel: String; var email: String }
    struct ExpertView: Content { var id: String; var name: String; var email: String }
    struct BusinessView: Content {
        var id: String
        var name: String
        var kanaName: String?
        var contactName: String
        var email: String
        var mobileEmail: String?
        /// DEC-10: whether the mobile address has been verified by its link.
        var mobileVerified: Bool
    }
    struct ConsultationView: Content {
        var id: String
        var institutionId: String
        var businessId: String
        var date: String
        var mode: String
        var disasterMeasure: String?
        var consultedPerson: String
    }

    static func id(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw APIError.notFound("指定の ID") }
        return id
    }

    static func institution(req: Request) async throws -> InstitutionView {
        let principal = try req.principal()
        let id = try id(req)
        guard principal.may(.read, .institution(id)) else { throw APIError.forbidden }
        guard let model = try await InstitutionModel.find(id, on: req.db) else { throw APIError.notFound("支援機関") }
        return InstitutionView(id: id.apiString, name: model.name, kind: model.kind, kindLabel: model.institutionKind.japaneseName, email: model.email)
    }

    static func expert(req: Request) async throws -> ExpertView {
        let principal = try req.principal()
        let id = try id(req)
        guard principal.may(.read, .expert(id)) else { throw APIError.forbidden }
        guard let model = try await ExpertModel.find(id, on: req.db) else { throw APIError.notFound("専門家") }
        return ExpertView(id: id.apiString, name: model.name, email: model.email)
    }

    static func business(req: Request) async throws -> BusinessView {
        let principal = try req.principal()
        let id = try id(req)
        guard principal.may(.read, try await businessResource(id, on: req.db)) else { throw APIError.forbidden }
        guard let model = try await BusinessModel.find(id, on: req.db) else { throw APIError.notFound("事業者") }
        return BusinessView(id: id.apiString, name: model.name, kanaName: model.kanaName, contactName: model.contactName, email: model.email,
                            mobileEmail: model.mobileEmail, mobileVerified: model.mobileVerifiedAt != nil)
    }

    static func consultation(req: Request) async throws -> ConsultationView {
        let principal = try req.principal()
        let id = try id(req)
        guard let model = try await ConsultationModel.find(id, on: req.db) else {
            throw principal.isSecretariat ? APIError.notFound("経営相談") : APIError.forbidden
        }
        guard principal.may(.read, .consultation(institution: model.$institution.id, business: model.$business.id)) else { throw APIError.forbidden }
        return ConsultationView(id: id.apiString, institutionId: model.$institution.id.apiString, businessId: model.$business.id.apiString, date: model.date,
                                mode: model.mode, disasterMeasure: model.disasterMeasure, consultedPerson: model.consultedPerson)
    }

    /// A business as the policy sees it: with the institutions it has consulted (CON-1).
    static func businessResource(_ id: UUID, on db: Database) async throws -> AccessPolicy.Resource {
        let institutions = try await ConsultationModel.query(on: db).filter(\.$business.$id == id).field(\.$institution.$id).all()
            .map { $0.$institution.id }
        return .business(id, consultedAt: Set(institutions))
    }
}
