import Fluent
import Foundation
import HakenCore

/// AFT-2: the expert files the report, which mails the business a certification link; the
/// business certifies through it and rates the expert. Each write is one transaction with
/// its evidence item and audit entry (NOTE-3).
public enum AfterTheDay {
    public enum Problem: Error, Equatable {
        /// The report was filed before (the expert sees it instead of a second form).
        case reportAlreadyFiled
        case cancelled
        /// The link was used by a request racing this one.
        case linkUsed
    }

    /// Files the expert's report; `mail` builds the business's message around the new
    /// certification link's token, queued in the same transaction (so no report without its mail).
    /// #12, DEC-2: the expert's times are compared with the mailed ones (`timeGapMinutes`) in the
    /// same transaction.
    public static func fileReport(_ report: ExpertReport, dispatch: DispatchModel, by actor: String,
                                  mail: @escaping @Sendable (_ certificationToken: String) -> Outbox.Row?,
                                  timeGapMinutes: Int = CrossCheck.defaultToleranceMinutes,
                                  on db: Database, key: AuditKey, now: Date) async throws {
        let dispatchID = try dispatch.requireID()
        if dispatch.cancelled { throw Problem.cancelled }
        try await db.hakenTransaction { tx in
            if try await ExpertReportModel.query(on: tx).filter(\.$dispatch.$id == dispatchID).count() > 0 { throw Problem.reportAlreadyFiled }
            do {
                try await ExpertReportModel(dispatchID: dispatchID, report: report, filedBy: actor, filedAt: now).create(on: tx)
            } catch let error as any DatabaseError where error.isConstraintFailure {
                throw Problem.reportAlreadyFiled
            }
            let writer = try await EvidenceWriter.start(on: tx, key: key)
            try await writer.record(EvidenceChange(dispatchID: dispatchID, kind: .expertReport, status: .accepted, trust: .registered,
                                                   note: "専門家が報告（\(report.actualStart.hhmm)〜\(report.actualEnd.hhmm)）"),
                                    source: .init(actor: actor, receivedAt: now), now: now)
            writer.audit(.init(actor: actor, action: "expert_report.file", subject: AuditLog.subject("dispatch", dispatchID),
                               details: ["actualStart": report.actualStart.hhmm, "actualEnd": report.actualEnd.hhmm, "work": report.work,
                                         "nextSteps": report.nextSteps ?? "", "travelExpensesYen": String(report.travelExpensesYen)]), now: now)
            try await writer.flush()
            try await Discrepancies.review([dispatchID], toleranceMinutes: timeGapMinutes, actor: actor, on: tx, key: key, now: now)
            let token = try await ActionLinks.issue(.certification, subject: dispatchID, on: tx, key: key, now: now)
            if let row = mail(token) { try await Outbox.enqueue([row], on: tx) }
        }
    }

    /// Enters the certification through a valid link (the caller checked AFT-3 with
    /// `Certification.refusal` on what it loaded). Disputed times go to the secretariat (DEC-2).
    public static func certify(_ certification: Certification, dispatch: DispatchRow, link: ActionLinkModel,
                               on db: Database, key: AuditKey, now: Date) async throws {
        let dispatchID = dispatch.id
        let actor = "business:\(dispatch.businessID.uuidString.lowercased())/link:\(try link.requireID().uuidString.lowercased())"
        try await db.hakenTransaction { tx in
            guard try await ActionLinks.consume(link, on: tx, now: now) else { throw Problem.linkUsed }
            try await CertificationModel(dispatchID: dispatchID, certification: certification, at: now).create(on: tx)
            let writer = try await EvidenceWriter.start(on: tx, key: key)
            let change: EvidenceChange
            var details = ["rating": String(certification.rating), "comment": certification.comment ?? ""]
            switch certification.times {
            case .confirmed:
                change = EvidenceChange(dispatchID: dispatchID, kind: .certification, status: .accepted, trust: .registered,
                                        note: "事業者が従事を証明")
                details["times"] = "confirmed"
            case .disputed(let reason):
                change = EvidenceChange(dispatchID: dispatchID, kind: .certification, status: .review, trust: .registered,
                                        note: "事業者が専門家の報告と異なると申出: \(reason)")
                details["times"] = "disputed"
                details["disputeReason"] = reason
            }
            try await writer.record(change, source: .init(actor: actor, receivedAt: now), now: now)
            writer.audit(.init(actor: actor, action: "certification.enter", subject: AuditLog.subject("dispatch", dispatchID), details: details), now: now)
            try await writer.flush()
        }
    }
}
