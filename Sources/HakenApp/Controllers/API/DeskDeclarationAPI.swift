import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// DAY-4, DAY-7: what a dispatch needs a declaration for, and recording one.
extension DeskAPIController {
    struct DeclarationItem: Content {
        var id: String
        var variant: String
        var covers: [String]
        var receipt: String
        var receivedOn: String?
        var sealedByBusiness: Bool
        var sealedByExpert: Bool
        var sealedByInstitution: Bool
        var accepted: Bool
        var note: String?
        var recordedBy: String
        var recordedAt: Date
    }

    struct Required: Content {
        var variant: String
        var name: String
        var covers: [String]
    }

    struct DeclarationStanding: Content {
        var dispatchId: String
        var state: String
        var required: [Required]
        var declarationStatus: String
        var recorded: [DeclarationItem]
    }

    static func declarations(req: Request) async throws -> DeclarationStanding {
        try req.authorize(.manage, .secretariatDesk)
        return encode(try await DeclarationDeskActions.standing(req, id: req.parameters.get("id")))
    }

    static func recordDeclaration(req: Request) async throws -> Response {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(DeclarationDeskActions.RecordInput.self)
        let standing = try await DeclarationDeskActions.standing(req, id: req.parameters.get("id"))
        try await DeclarationDeskActions.record(input, upload: nil, standing: standing, principal: principal, req: req)
        return try await encode(try await DeclarationDeskActions.standing(req, id: req.parameters.get("id"))).encodeResponse(status: .created, for: req)
    }

    static func encode(_ standing: DeclarationDeskActions.Standing) -> DeclarationStanding {
        DeclarationStanding(
            dispatchId: standing.dispatch.id.apiString, state: standing.assessment.state.rawValue,
            required: standing.required.map { Required(variant: $0.0.rawValue, name: $0.0.japaneseName, covers: $0.1.map(\.rawValue)) },
            declarationStatus: standing.facts.evidence.status(.declaration).rawValue,
            recorded: standing.recorded.map { stored in
                var receipt = "scan"
                var receivedOn: String?
                if case .paper(let day) = stored.record.receipt { receipt = "paper"; receivedOn = day.iso }
                return DeclarationItem(id: stored.id.apiString, variant: stored.record.variant.rawValue, covers: stored.record.covers.map(\.rawValue),
                                       receipt: receipt, receivedOn: receivedOn, sealedByBusiness: stored.record.sealedByBusiness,
                                       sealedByExpert: stored.record.sealedByExpert, sealedByInstitution: stored.record.sealedByInstitution,
                                       accepted: stored.record.accepted, note: stored.record.note, recordedBy: stored.recordedBy,
                                       recordedAt: stored.recordedAt)
            })
    }
}
