import Fluent
import Foundation
import HakenCore
import HakenDocuments
import HakenMail
import HakenStore
import Vapor

/// The printed forms of one dispatch (#13), for pages and the API alike; who may have which is
/// the one policy's answer: the declaration and the expert's report for its three parties, the
/// certification not for the expert it rates, the whole record for the secretariat.
enum DispatchFormsController {
    /// `/dispatches/:id/forms/declaration.pdf?variant=reportForgotten` (DAY-4, DAY-7): the variant
    /// asked for, or the one the dispatch needs; pre-filled with what it covers.
    static func declaration(req: Request) async throws -> Response {
        let context = try await DispatchFormContext.load(req, action: .read)
        let assessment = DispatchRules.assess(context.facts, today: req.application.hakenClock.today)
        let required = DeclarationRules.required(context.facts.evidence, assessment: assessment)
        let variant: DeclarationVariant
        if let asked = req.query[String.self, at: "variant"] {
            guard let known = DeclarationVariant(rawValue: asked) else {
                throw APIError.field("variant", code: "invalid_choice", message: "申告書の種類は \(DeclarationVariant.allCases.map(\.rawValue).joined(separator: "・")) のいずれかです。", status: .badRequest)
            }
            variant = known
        } else {
            variant = required.first?.0 ?? .reportForgotten
        }
        let covers = required.first { $0.0 == variant }?.1 ?? []
        let report = try await context.expertReport(on: req.db)
        let items = DeclarationForm.items(variant, covers: covers, evidence: context.facts.evidence,
                                          expertTimes: report.map { (start: $0.report.actualStart, end: $0.report.actualEnd) },
                                          written: variant == .timeCorrected ? try await writtenTimes(context.dispatch.id, on: req.db) : [:])
        let form = DeclarationForm.make(context.form, variant: variant, items: items, made: context.made)
        return try await PDFResponse.make(form, fileName: "支援実施申告書_\(variant.japaneseName)_\(context.form.reference("D"))", req: req)
    }

    /// 報告時刻訂正: the time the subject of the last start and end report mail gave (read again
    /// from the stored subject, as intake read it), for the form to print beside the received time.
    static func writtenTimes(_ dispatchID: UUID, on db: Database) async throws -> [EvidenceKind: TimeOfDay] {
        var times: [EvidenceKind: TimeOfDay] = [:]
        for mail in try await MailInbox.forDispatch(dispatchID, on: db).sorted(by: { $0.receivedAt < $1.receivedAt }) {
            guard let kind = mail.evidenceKind.flatMap(EvidenceKind.init(rawValue:)), kind == .startReport || kind == .endReport,
                  let time = mail.subject.flatMap({ ReportSubjectReader.read($0).report?.time }) else { continue }
            times[kind] = time
        }
        return times
    }

    /// `/dispatches/:id/forms/expert-report.pdf` (AFT-2): the report with its travel claim.
    static func expertReport(req: Request) async throws -> Response {
        let context = try await DispatchFormContext.load(req, action: .read)
        guard let filed = try await context.expertReport(on: req.db) else { throw APIError.notFound("専門家の支援報告") }
        let form = ExpertReportForm.make(context.form, report: filed.report, filedAt: filed.filedAt, made: context.made)
        return try await PDFResponse.make(form, fileName: "支援報告書_\(context.form.reference("D"))", req: req)
    }

    /// `/dispatches/:id/forms/certification.pdf` (AFT-2): the certification and evaluation as entered.
    static func certification(req: Request) async throws -> Response {
        let context = try await DispatchFormContext.load(req, action: .readEvaluation)
        guard let row = try await CertificationModel.query(on: req.db).filter(\.$dispatch.$id == context.dispatch.id).first() else {
            throw APIError.notFound("従事証明")
        }
        let certification = Certification(times: row.timesConfirmed ? .confirmed : .disputed(reason: row.disputeReason ?? ""),
                                          rating: row.rating, comment: row.comment)
        let report = try await context.expertReport(on: req.db)
        let form = CertificationForm.make(context.form, certification: certification,
                                          expertTimes: report.map { (start: $0.report.actualStart, end: $0.report.actualEnd) },
                                          certifiedAt: TokyoClock.local(secondsSince1970: row.certifiedAt.timeIntervalSince1970), made: context.made)
        return try await PDFResponse.make(form, fileName: "従事証明_\(context.form.reference("D"))", req: req)
    }

    /// `/desk/dispatches/:id/record.csv`: the same record as one table for Excel.
    static func recordCSV(req: Request) async throws -> Response {
        let (context, record) = try await auditorsRecord(req)
        return try CSVExport.response(req, name: "派遣記録_\(context.form.reference("D"))", ascii: "record-\(context.form.reference("D"))",
                                      header: DispatchRecordForm.csvHeader, rows: DispatchRecordForm.csvRows(record))
    }

    /// `/desk/dispatches/:id/record.pdf` (NOTE-3): everything on record, for an auditor.
    static func record(req: Request) async throws -> Response {
        let (context, record) = try await auditorsRecord(req)
        return try await PDFResponse.make(DispatchRecordForm.make(record, made: context.made), fileName: "派遣記録_\(context.form.reference("D"))", req: req)
    }

    /// The secretariat's only: the parties read their dispatch, not its whole record.
    static func auditorsRecord(_ req: Request) async throws -> (DispatchFormContext, DispatchRecordForm.Record) {
        let context = try await DispatchFormContext.load(req, action: .read)
        guard context.principal.may(.manage, .secretariatDesk) else { throw APIError.forbidden }
        return (context, try await DispatchRecordLoader.record(context, req: req))
    }
}
