import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// AFT-1: the consent register, a paper original recorded, a candidate decided.
extension DeskAPIController {
    struct ConsentItem: Content {
        var id: String
        var businessId: String
        var business: String
        var fiscalYear: Int
        var status: String
        var receivedAt: Date?
        var source: String
        var note: String?
        var mailId: String?
    }

    /// AFT-1: the register (`?fiscalYear=2019` for one year; `?status=review` for the waiting ones).
    static func consents(req: Request) async throws -> [ConsentItem] {
        try req.authorize(.manage, .secretariatDesk)
        var year: Int?
        if let text = req.query[String.self, at: "fiscalYear"] {
            guard let value = Int(text), (1900...2199).contains(value) else {
                throw APIError.field("fiscalYear", code: "out_of_range", message: "fiscalYear は 2019 のような年度の開始年で指定してください。", status: .badRequest)
            }
            year = value
        }
        var status: EvidenceStatus?
        if let text = req.query[String.self, at: "status"] {
            guard let value = EvidenceStatus(rawValue: text) else {
                throw APIError.field("status", code: "invalid_choice", message: "status は review・accepted・rejected などで指定してください。", status: .badRequest)
            }
            status = value
        }
        return try await PhotoConsents.register(fiscalYear: year, on: req.db).filter { status == nil || $0.status == status }.map {
            ConsentItem(id: $0.id.apiString, businessId: $0.businessID.apiString, business: $0.businessName, fiscalYear: $0.fiscalYear,
                        status: $0.status.rawValue, receivedAt: $0.receivedAt, source: $0.source, note: $0.note, mailId: $0.mailID?.apiString)
        }
    }

    struct ConsentRecorded: Content {
        var business: String
        var fiscalYear: Int
        var status: String
    }

    static func recordConsentByPost(req: Request) async throws -> Response {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(ConsentDeskActions.PostInput.self)
        let done = try await ConsentDeskActions.recordByPost(input, principal: principal, req: req)
        return try await ConsentRecorded(business: done.business, fiscalYear: done.year.startYear, status: EvidenceStatus.accepted.rawValue)
            .encodeResponse(status: .created, for: req)
    }

    static func decideConsent(req: Request) async throws -> ConsentRecorded {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(ConsentDeskActions.DecisionInput.self)
        let accepted = try await ConsentDeskActions.decide(input, id: req.parameters.get("id"), principal: principal, req: req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let consent = try await PhotoConsentModel.find(id, on: req.db) else {
            throw APIError.notFound("同意書")
        }
        let business = try await consent.$business.get(on: req.db)
        return ConsentRecorded(business: business.name, fiscalYear: consent.fiscalYear,
                               status: accepted ? EvidenceStatus.accepted.rawValue : EvidenceStatus.rejected.rawValue)
    }
}
