import Fluent
import Foundation
import HakenCore
import HakenImage
import HakenMail
import HakenStore
import Vapor

/// The secretariat's desk as JSON (#11): the same actions as its pages, through the same
/// functions (`MailDeskActions`, `PhotoDeskActions`, `DeclarationDeskActions`), under the
/// same permission (`.manage` on `.secretariatDesk`: the secretariat only).
enum DeskAPIController {
    struct QueueCount: Content {
        var queue: String
        var name: String
        var count: Int
    }

    static func queues(req: Request) async throws -> [QueueCount] {
        try req.authorize(.manage, .secretariatDesk)
        let counts = try await MailInbox.counts(on: req.db)
        return DeskQueue.allCases.map { QueueCount(queue: $0.rawValue, name: $0.japaneseName, count: counts[$0] ?? 0) }
    }

    struct OwnedItem: Content {
        var kind: String
        var status: String
        var trust: String
    }

    struct Candidate: Content {
        var dispatchId: String
        var business: String
        var expert: String
        var date: String
        var start: String
        var end: String
        var score: Int
        var reasons: [String]
    }

    struct MailDetail: Content {
        var mail: MailController.MailItem
        var countsAt: Date
        var headers: [ReceivedMailView.Header]
        var text: String?
        var attachments: [ReceivedMailView.Attachment]
        var items: [OwnedItem]
        var candidates: [Candidate]
    }

    static func mail(req: Request) async throws -> MailDetail {
        try req.authorize(.manage, .secretariatDesk)
        let context = try await MailDeskActions.context(req, id: req.parameters.get("id"))
        let raw = try await MailInbox.raw(context.mail.id, blobs: MailDeskActions.blobs(req), on: req.db) ?? []
        let view = ReceivedMailView.read(raw)
        let candidates = try await rankedCandidates(context, req: req).map {
            Candidate(dispatchId: $0.dispatch.id.apiString, business: $0.dispatch.business.name, expert: $0.dispatch.expertName,
                      date: $0.dispatch.schedule.date.iso, start: $0.dispatch.schedule.start.hhmm, end: $0.dispatch.schedule.end.hhmm,
                      score: $0.score, reasons: $0.reasons)
        }
        return MailDetail(mail: .init(context.mail), countsAt: context.countsAt, headers: view.headers, text: view.text,
                          attachments: view.attachments,
                          items: EvidenceKind.allCases.compactMap { kind in
                              context.owned[kind].map { OwnedItem(kind: kind.rawValue, status: $0.status.rawValue, trust: $0.trust.rawValue) }
                          }, candidates: candidates)
    }

    /// DEC-8: for a mail not tied to a dispatch (unmatched, refused, a declaration PDF), the
    /// dispatches it is most likely about.
    static func rankedCandidates(_ context: DeskDecisions.MailContext, req: Request) async throws -> [AssignmentCandidates.Ranked] {
        guard context.mail.dispatchID == nil, context.mail.decidedAt == nil else { return [] }
        let received = TokyoClock.local(secondsSince1970: context.countsAt.timeIntervalSince1970)
        let report = context.mail.subject.flatMap { ReportSubjectReader.read($0).report }
        var days = [received.date]
        if let report, let written = ReportTiming.inferDate(month: report.month, day: report.day, receivedOn: received.date) { days.append(written) }
        let dispatches = try await DeskDecisions.dispatchesAround(days, on: req.db)
        let sender = try await DeskDecisions.business(ofAddress: context.mail.from, on: req.db)
        return AssignmentCandidates.rank(.init(received: received, subjectText: context.mail.subject ?? "", report: report, senderBusinessID: sender),
                                         among: dispatches)
    }

    /// DEC-8: the message exactly as received.
    static func raw(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let raw = try await MailInbox.raw(id, blobs: MailDeskActions.blobs(req), on: req.db) else { throw APIError.notFound("メール") }
        let response = Response(status: .ok, body: .init(data: Data(raw)))
        response.headers.contentType = HTTPMediaType(type: "message", subType: "rfc822")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(id.apiString).eml\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// One attachment's bytes: a picture (by its bytes) shown inline under its real type;
    /// anything else only as a download, never rendered by the browser.
    static func attachment(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), let index = req.parameters.get("index").flatMap(Int.init),
              let raw = try await MailInbox.raw(id, blobs: MailDeskActions.blobs(req), on: req.db),
              let bytes = ReceivedMailView.attachmentBytes(raw, index: index) else { throw APIError.notFound("添付ファイル") }
        return fileResponse(bytes, name: "attachment-\(index)")
    }

    static func fileResponse(_ bytes: [UInt8], name: String) -> Response {
        let format = ImageFormat.sniff(Array(bytes.prefix(ImageFormat.sniffLength)))
        // HEIC (iPhones) is shown as JPEG; if it cannot be converted, it is a download.
        if format == .heic, let jpeg = try? HEICToJPEG.convert(bytes) {
            return fileResponse(jpeg, name: name)
        }
        let response = Response(status: .ok, body: .init(data: Data(bytes)))
        // Shown inline only where every browser shows it; WebP and what failed to convert are downloads.
        let types: [ImageFormat: HTTPMediaType] = [.jpeg: .jpeg, .png: .png, .gif: .gif]
        if let format, let type = types[format] {
            response.headers.contentType = type
            response.headers.replaceOrAdd(name: .contentDisposition, value: "inline")
        } else if bytes.starts(with: Array("%PDF-".utf8)) {
            response.headers.contentType = .pdf
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).pdf\"")
        } else {
            response.headers.contentType = .binary
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name).bin\"")
        }
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    struct Decided: Content {
        var id: String
        var status: String
        var summary: String
    }

    static func decide(req: Request) async throws -> Decided {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(MailDeskActions.DecisionInput.self)
        let context = try await MailDeskActions.context(req, id: req.parameters.get("id"))
        let summary = try await MailDeskActions.decide(input, context: context, principal: principal, req: req)
        let after = try await MailInbox.one(context.mail.id, on: req.db)
        return Decided(id: context.mail.id.apiString, status: after?.status.rawValue ?? "", summary: summary)
    }

    struct PhotoItem: Content {
        var dispatchId: String
        var business: String
        var expert: String
        var date: String
        var status: String
        var trust: String
        var receivedAt: Date?
    }

    static func photos(req: Request) async throws -> Response {
        try req.authorize(.manage, .secretariatDesk)
        let paging = try Paging.from(req, defaultPer: 50, maxPer: 500)
        let total = try await PhotoReview.count(on: req.db)
        let items = try await PhotoReview.waiting(offset: paging.offset, limit: paging.per, on: req.db).map {
            PhotoItem(dispatchId: $0.dispatch.id.apiString, business: $0.dispatch.businessName ?? "", expert: $0.dispatch.expertName ?? "",
                      date: $0.dispatch.date, status: $0.status.rawValue, trust: $0.trust.rawValue, receivedAt: $0.receivedAt)
        }
        let response = try await items.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        return response
    }

    struct Checked: Content {
        var dispatchId: String
        var status: String
        var note: String
    }

    static func checkPhoto(req: Request) async throws -> Checked {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(PhotoDeskActions.CheckInput.self)
        let detail = try await PhotoDeskActions.detail(req, id: req.parameters.get("id"))
        let outcome = try await PhotoDeskActions.check(input, detail: detail, principal: principal, req: req)
        return Checked(dispatchId: detail.dispatch.id.apiString, status: outcome.status.rawValue, note: outcome.note)
    }

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

    struct DeadlineItem: Content {
        var dispatchId: String
        var business: String
        var expert: String
        var date: String
        var duty: String?
        var deadline: String
        var outstanding: [String]?
    }

    struct DeadlineLists: Content {
        var escalations: [DeadlineItem]
        var proposals: [DeadlineItem]
    }

    /// NOTE-1, NOTE-2: duties past their deadline, and dispatches proposed as outside the programme.
    static func deadlines(req: Request) async throws -> DeadlineLists {
        try req.authorize(.manage, .secretariatDesk)
        let escalations = try await Reminders.escalations(offset: 0, limit: 500, on: req.db).map {
            DeadlineItem(dispatchId: $0.dispatch.id.apiString, business: $0.dispatch.businessName ?? "", expert: $0.dispatch.expertName ?? "",
                         date: $0.dispatch.date, duty: $0.kind.rawValue, deadline: $0.deadline, outstanding: nil)
        }
        let proposed = try await OutsideProgramme.proposed(offset: 0, limit: 500, on: req.db)
        let records = try await DispatchRecords.records(for: proposed, on: req.db)
        let today = req.application.hakenClock.today
        let proposals = proposed.map { row in
            DeadlineItem(dispatchId: row.id.apiString, business: row.businessName ?? "", expert: row.expertName ?? "", date: row.date, duty: nil,
                         deadline: row.deadline,
                         outstanding: records[row.id].map { DispatchRules.assess($0.facts, today: today).outstanding.map(\.rawValue) } ?? [])
        }
        return DeadlineLists(escalations: escalations, proposals: proposals)
    }

    struct OutsideDecided: Content {
        var dispatchId: String
        var decision: String
        var deadline: String?
    }

    static func decideOutside(req: Request) async throws -> OutsideDecided {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(OutsideDeskActions.DecisionInput.self)
        let decision = try await OutsideDeskActions.decide(input, dispatchID: req.parameters.get("id"), principal: principal, req: req)
        switch decision {
        case .confirm: return OutsideDecided(dispatchId: req.parameters.get("id") ?? "", decision: "confirm", deadline: nil)
        case .extend(let day, _): return OutsideDecided(dispatchId: req.parameters.get("id") ?? "", decision: "extend", deadline: day.iso)
        }
    }

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

    struct AuditItem: Content {
        var seq: Int64
        var at: String
        var actor: String
        var action: String
        var subject: String
        var details: String
    }

    static func auditItems(_ rows: [AuditListing.Row]) -> [AuditItem] {
        rows.map { AuditItem(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject, details: $0.details) }
    }

    /// NOTE-3: the log newest first; `?before=<seq>` pages back.
    static func audit(req: Request) async throws -> [AuditItem] {
        try req.authorize(.manage, .secretariatDesk)
        var before: Int64?
        if let text = req.query[String.self, at: "before"] {
            guard let value = Int64(text), value > 0 else {
                throw APIError.field("before", code: "out_of_range", message: "before は 1 以上の記録番号で指定してください。", status: .badRequest)
            }
            before = value
        }
        let paging = try Paging.from(req, defaultPer: 100, maxPer: 1000)
        return auditItems(try await AuditListing.recent(before: before, limit: paging.per, on: req.db))
    }

    static func dispatchAudit(req: Request) async throws -> [AuditItem] {
        try req.authorize(.manage, .secretariatDesk)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)), try await DispatchListing.one(id, on: req.db) != nil else {
            throw APIError.notFound("派遣")
        }
        return auditItems(try await AuditListing.trail(try await AuditListing.subjects(ofDispatch: id, on: req.db), limit: 5000, on: req.db))
    }

    struct AuditStatus: Content {
        var intact: Bool
        var entries: Int
        var problems: [String]
        var anchorSeq: Int64?
        var anchoredAt: String?
    }

    static func verifyAudit(req: Request) async throws -> AuditStatus {
        try req.authorize(.manage, .secretariatDesk)
        let inspection = try await AuditInspection.run(on: req.db, key: req.application.haken.auditKey,
                                                       anchorFile: req.application.haken.configuration.auditKeyFiles.anchorFile)
        return AuditStatus(intact: inspection.intact, entries: inspection.entries, problems: inspection.problems,
                           anchorSeq: inspection.anchor?.seq, anchoredAt: inspection.anchor?.at)
    }

    struct DisputeInput: Content {
        var decision: String?
        var reason: String?
    }

    static func decideDispute(req: Request) async throws -> Checked {
        let principal = try req.authorize(.manage, .secretariatDesk)
        let input = try req.content.decode(DisputeInput.self)
        let draft = try await DisputeDeskActions.decide(input.decision, reason: input.reason, dispatchID: req.parameters.get("id"),
                                                        principal: principal, req: req)
        return Checked(dispatchId: req.parameters.get("id") ?? "", status: draft.status.rawValue, note: draft.note)
    }
}
