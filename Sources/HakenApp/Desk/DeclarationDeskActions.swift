import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// DAY-4, DAY-7: recording a declaration for a dispatch (the desk's form and the JSON API).
enum DeclarationDeskActions {
    struct RecordInput: Content {
        var variant: String?
        var covers: [String]?
        /// `scan` or `paper`.
        var receipt: String?
        var receivedOn: String?
        var sealedByBusiness: Bool?
        var sealedByExpert: Bool?
        var sealedByInstitution: Bool?
        /// `accept` or `reject`.
        var decision: String?
        var note: String?
        /// A mail whose PDF (or picture) is the scan.
        var mailId: String?
    }

    /// What a dispatch needs now and what is recorded, for the form and the API.
    struct Standing {
        var dispatch: DispatchRow
        var facts: DispatchFacts
        var assessment: DispatchAssessment
        var required: [(DeclarationVariant, [EvidenceKind])]
        var recorded: [Declarations.Stored]
    }

    static func standing(_ req: Request, id: String?) async throws -> Standing {
        guard let id = id.flatMap(UUID.init(uuidString:)), let dispatch = try await DispatchListing.one(id, on: req.db),
              let record = try await DispatchRecords.records(for: [dispatch], on: req.db)[id] else {
            throw APIError.notFound("派遣")
        }
        let assessment = DispatchRules.assess(record.facts, today: req.application.hakenClock.today)
        return Standing(dispatch: dispatch, facts: record.facts, assessment: assessment,
                        required: DeclarationRules.required(record.facts.evidence, assessment: assessment),
                        recorded: try await Declarations.all(for: id, on: req.db))
    }

    /// The scan from a mail's attachments: its first PDF, or else its first picture.
    static func scanFromMail(_ mailID: UUID, req: Request) async throws -> String? {
        let blobs = MailDeskActions.blobs(req)
        guard let raw = try await MailInbox.raw(mailID, blobs: blobs, on: req.db) else { return nil }
        let view = ReceivedMailView.read(raw)
        if let pdf = view.attachments.first(where: \.pdf), let bytes = ReceivedMailView.attachmentBytes(raw, index: pdf.index) {
            return try blobs.put(bytes, kind: "files", suffix: ".pdf").path
        }
        return try ReceivedMailView.storeFirstPicture(raw, blobs: blobs)
    }

    /// Records it; `upload` is a scan the form sent (already checked by content).
    @discardableResult
    static func record(_ input: RecordInput, upload: UploadedFile?, standing: Standing, principal: Principal, req: Request) async throws -> Bool {
        let mailID = input.mailId.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) }
        if input.mailId?.isEmpty == false && mailID == nil {
            throw APIError.field("mailId", code: "not_found", message: "指定されたメールが見つかりません。")
        }
        let needs = standing.assessment.needsDeclarationFor
        let fields = DeclarationRules.Input(variant: input.variant, covers: input.covers ?? [], receipt: input.receipt, receivedOn: input.receivedOn,
                                            sealedByBusiness: input.sealedByBusiness ?? false, sealedByExpert: input.sealedByExpert ?? false,
                                            sealedByInstitution: input.sealedByInstitution ?? false, decision: input.decision, note: input.note)
        // Checked without the file first, so nothing is stored for a form that fails.
        let scanPlaceholder = input.receipt == "scan" && (upload != nil || mailID != nil) ? "pending" : nil
        var record = try DeclarationRules.validate(fields, needs: needs, scanFile: scanPlaceholder, today: req.application.hakenClock.today)
        if case .scan = record.receipt {
            var path: String?
            if let upload { path = try upload.store(kind: "files", req: req).path } else if let mailID { path = try await scanFromMail(mailID, req: req) }
            guard let path else {
                throw APIError.field("file", code: "required", message: "メールに申告書のPDF・画像が見つかりません。スキャンを添付してください。")
            }
            record.receipt = .scan(file: path)
        }
        let dispatch = standing.dispatch
        let address = try await DeskDecisions.businessAddress(dispatch.businessID, on: req.db)
        let schedule = try dispatch.schedule()
        let required = standing.required
        let configuration = req.application.haken.configuration
        let now = req.application.hakenClock.now()
        let deadline = standing.facts.deadline
        let stored = record
        let coveredBefore = standing.recorded.filter(\.record.accepted).flatMap(\.record.covers)
        return try await Declarations.record(record, dispatchID: dispatch.id, needs: needs, sourceMail: mailID, notice: { settled in
            guard let address else { return nil }
            let covered = Set(coveredBefore + (stored.accepted ? stored.covers : []))
            let remaining = settled ? [] : required.compactMap { variant, kinds -> (DeclarationVariant, [EvidenceKind])? in
                let left = kinds.filter { !covered.contains($0) }
                return left.isEmpty ? nil : (variant, left)
            }
            let message = DeskNoticeText.declaration(business: dispatch.businessName ?? "", expert: dispatch.expertName ?? "", schedule: schedule,
                                                     variant: stored.variant, accepted: stored.accepted, reason: stored.note,
                                                     remaining: remaining, deadline: deadline)
            return WebMail.row(.deskNotice, to: address, message, dedupe: "desk:declaration:\(UUID().uuidString.lowercased())",
                               configuration: configuration, now: now)
        }, by: principal.actor, on: req.db, key: req.application.haken.auditKey, now: now)
    }
}
