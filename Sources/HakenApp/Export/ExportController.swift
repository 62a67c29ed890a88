import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// The CSV downloads of the lists (#11): each list's rows under the same permission as its
/// page (the dispatch list is each role's own; the desk's lists are the secretariat's).
enum ExportController {
    static func time(_ date: Date?) -> String { CSVExport.moment(date) }

    /// `/dispatches.csv`
    static func dispatches(req: Request) async throws -> Response {
        let principal = try req.signedIn()
        let scope = DispatchesController.scope(for: principal)
        let total = try await DispatchListing.count(scope, on: req.db)
        guard total <= CSVExport.maxRows else { throw CSVExport.tooMany(total) }
        let today = req.application.hakenClock.today
        var rows: [[String]] = []
        var offset = 0
        while offset < total {
            let listed = try await DispatchListing.page(scope, offset: offset, limit: 2000, on: req.db)
            if listed.isEmpty { break }
            offset += listed.count
            let records = try await DispatchRecords.records(for: listed, on: req.db)
            for dispatch in listed {
                guard let facts = records[dispatch.id]?.facts else { continue }
                let assessment = DispatchRules.assess(facts, today: today)
                let year = FiscalYear(containing: facts.date)
                rows.append([CSVExport.day(dispatch.date), CSVExport.eraDay(dispatch.date), dispatch.startTime, dispatch.endTime,
                             dispatch.businessName ?? "", dispatch.expertName ?? "", dispatch.place, assessment.state.japaneseName,
                             assessment.paymentEligible ? "可" : "否", assessment.outstanding.map(\.japaneseName).joined(separator: "・"),
                             CSVExport.day(dispatch.deadline), year.label, year.eraLabel, dispatch.id.apiString])
            }
        }
        return try CSVExport.response(req, name: "派遣一覧", ascii: "dispatches",
                                      header: ["支援日", "支援日（和暦）", "開始", "終了", "事業者", "専門家", "場所", "状況", "謝金の支払", "未了の項目", "最終期限",
                                               "年度", "年度（和暦）", "派遣ID"],
                                      rows: rows)
    }

    /// `/desk/mail.csv`: the inbox with the page's filters.
    static func inbox(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let filter = try InboxQuery.filter(req, emptyMeansAll: true)
        let total = try await MailInbox.count(filter, on: req.db)
        guard total <= CSVExport.maxRows else { throw CSVExport.tooMany(total) }
        var rows: [[String]] = []
        while rows.count < total {
            let page = try await MailInbox.page(filter, offset: rows.count, limit: 2000, on: req.db)
            if page.isEmpty { break }
            rows += page.map { mail in
                [time(mail.receivedAt), mail.from ?? "", mail.subject ?? "", mail.status.japaneseName, mail.reason ?? "",
                 mail.flags.compactMap { flag in DeskQueue.allCases.first { $0.flag == flag }?.japaneseName }.joined(separator: "・"),
                 mail.dispatchID?.apiString ?? "", mail.decisionNote ?? "", mail.decidedBy ?? "", time(mail.decidedAt), mail.id.apiString]
            }
        }
        return try CSVExport.response(req, name: "受信メール", ascii: "mail",
                                      header: ["受信日時", "差出人", "件名", "状態", "理由", "確認が必要な点", "派遣ID", "事務局の判断", "判断者", "判断日時", "メールID"],
                                      rows: rows)
    }

    /// `/desk/photos.csv`: the photos waiting for their check.
    static func photos(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let total = try await PhotoReview.count(on: req.db)
        guard total <= CSVExport.maxRows else { throw CSVExport.tooMany(total) }
        let rows = try await PhotoReview.waiting(offset: 0, limit: CSVExport.maxRows, on: req.db).map { item in
            [CSVExport.day(item.dispatch.date), item.dispatch.businessName ?? "", item.dispatch.expertName ?? "", time(item.receivedAt),
             item.status.japaneseName, item.trust.japaneseName, item.dispatch.id.apiString]
        }
        return try CSVExport.response(req, name: "写真の確認待ち", ascii: "photos",
                                      header: ["支援日", "事業者", "専門家", "受信日時", "状態", "差出人", "派遣ID"], rows: rows)
    }

    /// `/desk/deadlines.csv`: escalations and outside-programme proposals.
    static func deadlines(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        var rows = try await Reminders.escalations(offset: 0, limit: CSVExport.maxRows, on: req.db).map { item in
            ["期限超過", CSVExport.day(item.dispatch.date), item.dispatch.businessName ?? "", item.dispatch.expertName ?? "", item.kind.japaneseName,
             CSVExport.day(item.deadline), item.dispatch.id.apiString]
        }
        rows += try await OutsideProgramme.proposed(offset: 0, limit: CSVExport.maxRows, on: req.db).map { row in
            ["事業対象外の確認待ち", CSVExport.day(row.date), row.businessName ?? "", row.expertName ?? "", DutyKind.final.japaneseName,
             CSVExport.day(row.deadline), row.id.apiString]
        }
        return try CSVExport.response(req, name: "期限の管理", ascii: "deadlines",
                                      header: ["区分", "支援日", "事業者", "専門家", "手続き", "期限", "派遣ID"], rows: rows)
    }

    /// `/desk/consents.csv`: the photo-consent register (AFT-1), every business and fiscal year.
    static func consents(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let rows = try await PhotoConsents.register(on: req.db).map { entry in
            [entry.businessName, FiscalYear(startYear: entry.fiscalYear).label, FiscalYear(startYear: entry.fiscalYear).eraLabel,
             entry.status.japaneseName, time(entry.receivedAt), entry.sourceName, entry.note ?? "", entry.id.apiString]
        }
        return try CSVExport.response(req, name: "写真提出の同意書", ascii: "consents",
                                      header: ["事業者", "年度", "年度（和暦）", "状態", "受付日時", "受付方法", "メモ", "同意書ID"], rows: rows)
    }

    /// `/desk/disputes.csv`: certifications the business disputed, waiting (AFT-2, DEC-2).
    static func disputes(req: Request) async throws -> Response {
        _ = try req.signedIn()
        try req.authorize(.manage, .secretariatDesk)
        let rows = try await Disputes.waiting(offset: 0, limit: CSVExport.maxRows, on: req.db).map { item in
            [CSVExport.day(item.dispatch.date), item.dispatch.businessName ?? "", item.dispatch.expertName ?? "", time(item.receivedAt), item.note ?? "",
             item.dispatch.id.apiString]
        }
        return try CSVExport.response(req, name: "従事証明の異議", ascii: "disputes",
                                      header: ["支援日", "事業者", "専門家", "申出日時", "申出の内容", "派遣ID"], rows: rows)
    }
}
