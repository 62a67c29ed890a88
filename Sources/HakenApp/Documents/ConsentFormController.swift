import Fluent
import Foundation
import HakenCore
import HakenDocuments
import HakenStore
import Vapor

/// `/businesses/:id/forms/consent.pdf?year=2019` (AFT-1): the year's photo consent, pre-filled
/// for the business to sign and seal. The business itself, an institution it consulted (which
/// may send the consent instead) and the secretariat may print it.
enum ConsentFormController {
    static func consent(req: Request) async throws -> Response {
        let principal = try DocumentCaller.principal(req)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let business = try await BusinessModel.find(id, on: req.db) else { throw APIError.notFound("事業者") }
        guard principal.may(.read, try await PartyReadController.businessResource(id, on: req.db)) else { throw APIError.forbidden }
        let now = req.application.hakenClock.tokyoNow
        var year = FiscalYear(containing: now.date)
        if let asked = req.query[String.self, at: "year"] {
            let period = req.application.haken.configuration.programme(today: now.date)
            let message = "年度は\(period.first.label)から\(period.last.label)までの年を西暦で指定してください（例: year=\(year.startYear)）。"
            guard let start = Int(asked) else { throw APIError.field("year", code: "invalid_number", message: message, status: .badRequest) }
            // A year, but not one of the programme's (DEC-13).
            guard (period.first.startYear...period.last.startYear).contains(start) else {
                throw APIError.field("year", code: "out_of_range", message: message)
            }
            year = FiscalYear(startYear: start)
        }
        let dispatches = try await DispatchModel.query(on: req.db)
            .filter(\.$business.$id == id).filter(\.$cancelled == false)
            .filter(\.$date >= year.firstDay.iso).filter(\.$date <= year.lastDay.iso)
            .with(\.$expert).sort(\.$date).all()
        let visits = dispatches.compactMap { dispatch in CivilDate(iso: dispatch.date).map { ConsentForm.Visit(date: $0, expert: dispatch.expert.name) } }
        let mail = req.application.haken.configuration.mail
        let form = ConsentForm.make(.init(name: business.name, postalCode: business.postalCode, address: business.address,
                                          representative: business.representative, contactName: business.contactName, email: business.email),
                                    businessID: id.uuidString, year: year, visits: visits,
                                    secretariatAddress: mail.secretariatAddresses.first ?? mail.senderAddress, made: FormMoment(now))
        return try await PDFResponse.make(form, fileName: "写真提出の同意書_\(year.label)_\(business.name)", req: req)
    }
}
