import Fluent
import HakenCore
import HakenStore
import Vapor

/// `POST /api/v1/institutions`, `/experts`, `/businesses`: the secretariat registers the
/// parties (businesses register themselves through the web pages later).
enum PartiesController {
    struct Created: Content {
        var id: String
    }

    static func createInstitution(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat])
        let profile = try InstitutionProfile.validate(try req.content.decode(InstitutionProfile.Input.self))
        return try await create(InstitutionModel(profile: profile), kind: "institution", path: "institutions", by: principal,
                                addresses: [(profile.email, "email")], details: ["name": profile.name, "kind": profile.kind.rawValue], req: req)
    }

    static func createExpert(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat])
        let profile = try ExpertProfile.validate(try req.content.decode(ExpertProfile.Input.self))
        return try await create(ExpertModel(profile: profile), kind: "expert", path: "experts", by: principal,
                                addresses: [(profile.email, "email")], details: ["name": profile.name], req: req)
    }

    static func createBusiness(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat])
        let profile = try BusinessProfile.validate(try req.content.decode(BusinessProfile.Input.self))
        let model = BusinessModel(profile: profile)
        return try await create(model, kind: "business", path: "businesses", by: principal,
                                addresses: zip(profile.reportingAddresses, ["email", "mobileEmail"]).map { ($0, $1) }, details: ["name": profile.name, "email": profile.registeredEmail.address], req: req) { db in
            try await MobileVerificationController.mailLink(for: model, req: req, on: db)
        }
    }

    /// Inserts a party, claims its addresses (REG-2: 409 when one is anybody's already) and
    /// writes its audit entry in one transaction; `also` runs in it too (the business's mobile
    /// verification mail). Answers 201 with its id.
    static func create<M: Model>(_ model: M, kind: String, path: String, by principal: Principal,
                                 addresses: [(EmailAddress, String)], details: [String: String],
                                 req: Request, also: (@Sendable (Database) async throws -> Void)? = nil) async throws -> Response
        where M.IDValue == UUID {
        let id = UUID()
        model.id = id
        do {
            try await req.db.hakenTransaction { db in
                try await AddressRegistry.claim(addresses.map { (address: $0.0, field: $0.1) }, partyKind: kind, partyID: id, on: db)
                try await create(model, kind: kind, by: principal, details: details, req: req, also: also, on: db)
            }
        } catch let taken as AddressRegistry.Taken {
            throw APIError.field(taken.field, code: "already_registered",
                                 message: "このメールアドレス（\(taken.address)）は既に別の事業者・専門家・支援機関に登録されています。",
                                 status: .conflict)
        }
        return try await created(id, path: path, req: req)
    }

    private static func create<M: Model>(_ model: M, kind: String, by principal: Principal, details: [String: String], req: Request,
                                         also: (@Sendable (Database) async throws -> Void)?, on db: Database) async throws
        where M.IDValue == UUID {
        try await model.create(on: db)
        try await also?(db)
        try await AuditLog.append(.init(actor: principal.actor, action: "\(kind).create", subject: AuditLog.subject(kind, try model.requireID()),
                                        details: details), on: db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
    }

    static func created(_ id: UUID, path: String, req: Request) async throws -> Response {
        let response = try await Created(id: id.apiString).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/\(path)/\(id.uuidString.lowercased())")
        return response
    }
}
