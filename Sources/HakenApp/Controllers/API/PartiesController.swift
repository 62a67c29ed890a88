import Fluent
import HakenCore
import HakenStore
import Vapor

/// `POST /api/v1/institutions`, `/experts`, `/businesses`: the secretariat registers the
/// parties (businesses register themselves through the web pages later).
enum PartiesController {
    struct Created: Content {
        var id: UUID
    }

    static func createInstitution(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat])
        let profile = try InstitutionProfile.validate(try req.content.decode(InstitutionProfile.Input.self))
        return try await create(InstitutionModel(profile: profile), kind: "institution", path: "institutions", by: principal,
                                details: ["name": profile.name, "kind": profile.kind.rawValue], req: req)
    }

    static func createExpert(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat])
        let profile = try ExpertProfile.validate(try req.content.decode(ExpertProfile.Input.self))
        try await AddressRegistry.ensureFree([profile.email], fields: ["email"], on: req.db)
        return try await create(ExpertModel(profile: profile), kind: "expert", path: "experts", by: principal,
                                details: ["name": profile.name], req: req)
    }

    static func createBusiness(req: Request) async throws -> Response {
        let principal = try req.principal(in: [.secretariat])
        let profile = try BusinessProfile.validate(try req.content.decode(BusinessProfile.Input.self))
        try await AddressRegistry.ensureFree(profile.reportingAddresses, fields: ["email", "mobileEmail"], on: req.db)
        let model = BusinessModel(profile: profile)
        return try await create(model, kind: "business", path: "businesses", by: principal,
                                details: ["name": profile.name, "email": profile.registeredEmail.address], req: req) { db in
            try await MobileVerificationController.mailLink(for: model, req: req, on: db)
        }
    }

    /// Inserts a party and its audit entry in one transaction, and answers 201 with its id.
    /// `also` runs in the same transaction (the business's mobile verification mail).
    static func create<M: Model>(_ model: M, kind: String, path: String, by principal: Principal, details: [String: String],
                                 req: Request, also: (@Sendable (Database) async throws -> Void)? = nil) async throws -> Response
        where M.IDValue == UUID {
        try await req.db.hakenTransaction { db in
            try await model.create(on: db)
            try await also?(db)
            try await AuditLog.append(.init(actor: principal.actor, action: "\(kind).create", subject: AuditLog.subject(kind, try model.requireID()),
                                            details: details), on: db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        }
        return try await created(model.requireID(), path: path, req: req)
    }

    static func created(_ id: UUID, path: String, req: Request) async throws -> Response {
        let response = try await Created(id: id).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/\(path)/\(id.uuidString.lowercased())")
        return response
    }
}

/// Mail is matched to parties by address (DAY-3, DEC-6), so one address may belong to one
/// party only: a business's address that is also an expert's would make every report ambiguous.
enum AddressRegistry {
    static func ensureFree(_ addresses: [EmailAddress], fields: [String], on db: Database) async throws {
        for (address, field) in zip(addresses, fields) {
            let key = address.matchKey
            let businesses = try await BusinessModel.query(on: db)
                .group(.or) { $0.filter(\.$emailKey == key).filter(\.$mobileEmailKey == key) }.count()
            let experts = try await ExpertModel.query(on: db).filter(\.$emailKey == key).count()
            let institutions = try await InstitutionModel.query(on: db).filter(\.$emailKey == key).count()
            if businesses + experts + institutions > 0 {
                throw APIError.field(field, code: "already_registered",
                                     message: "このメールアドレス（\(address.address)）は既に別の事業者・専門家・支援機関に登録されています。",
                                     status: .conflict)
            }
        }
    }
}
