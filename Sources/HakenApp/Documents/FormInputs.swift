import Fluent
import Foundation
import HakenCore
import HakenDocuments
import HakenStore
import Vapor

/// Loads what a form about one dispatch prints (the load step; the forms themselves are pure).
struct DispatchFormContext {
    var principal: Principal
    var dispatch: DispatchRow
    var form: FormDispatch
    var facts: DispatchFacts
    var made: FormMoment

    static func load(_ req: Request, action: AccessPolicy.Action) async throws -> DispatchFormContext {
        let principal = try DocumentCaller.principal(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let dispatch = try await DispatchListing.one(id, on: req.db) else { throw APIError.notFound("派遣") }
        guard principal.may(action, .dispatch(dispatch.parties)) else { throw APIError.forbidden }
        guard let facts = try await DispatchRecords.records(for: [dispatch], on: req.db)[dispatch.id]?.facts else { throw APIError.notFound("派遣") }
        let contact = try await BusinessModel.find(dispatch.businessID, on: req.db)?.contactName ?? ""
        let form = FormDispatch(id: dispatch.id, businessName: dispatch.businessName ?? "", contactName: contact, expertName: dispatch.expertName ?? "",
                                institutionName: dispatch.institutionName ?? "", schedule: try dispatch.schedule())
        return DispatchFormContext(principal: principal, dispatch: dispatch, form: form, facts: facts, made: FormMoment(req.application.hakenClock.tokyoNow))
    }

    func expertReport(on db: Database) async throws -> (report: ExpertReport, filedAt: LocalDateTime)? {
        guard let row = try await ExpertReportModel.query(on: db).filter(\.$dispatch.$id == dispatch.id).first(),
              let start = TimeOfDay(hhmm: row.actualStart), let end = TimeOfDay(hhmm: row.actualEnd) else { return nil }
        return (ExpertReport(actualStart: start, actualEnd: end, work: row.work, nextSteps: row.nextSteps, travelExpensesYen: row.travelExpensesYen),
                TokyoClock.local(secondsSince1970: row.filedAt.timeIntervalSince1970))
    }
}

/// Pages send a visitor who is not signed in to the login page; the API answers 401.
enum DocumentCaller {
    static func principal(_ req: Request) throws -> Principal {
        req.url.path.hasPrefix("/api/") ? try req.principal() : try req.signedIn()
    }
}
