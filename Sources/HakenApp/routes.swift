import HakenCore
import Vapor

func routes(_ app: Application, configuration: AppConfiguration) throws {
    app.get("healthz", use: HealthController.check)
    // Metrics only for the secretariat or the scraper's token (HAKEN_METRICS_TOKEN).
    app.grouped(BearerTokenAuthenticator(adminToken: configuration.adminToken)).get("metrics") { req in
        let token = req.headers.bearerAuthorization?.token
        let scraper = configuration.metricsToken.map { expected in token.map { constantTimeEqual($0, expected) } ?? false } ?? false
        guard scraper || req.auth.get(Principal.self)?.isSecretariat == true else {
            throw req.auth.has(Principal.self) ? APIError.forbidden : APIError.unauthenticated
        }
        return HakenMetrics.render(req)
    }
    app.get(use: HomeController.index)
    app.get("mobile", "verify", ":token", use: MobileVerificationController.show)
    app.post("mobile", "verify", ":token", use: MobileVerificationController.confirm)

    let api = app.grouped("api", "v1")
        .grouped(BearerTokenAuthenticator(adminToken: configuration.adminToken))
    api.post("institutions", use: PartiesController.createInstitution)
    api.get("institutions", ":id", use: PartyReadController.institution)
    api.post("experts", use: PartiesController.createExpert)
    api.get("experts", ":id", use: PartyReadController.expert)
    api.post("businesses", use: PartiesController.createBusiness)
    api.get("businesses", ":id", use: PartyReadController.business)
    api.post("consultations", use: ConsultationsController.create)
    api.get("consultations", ":id", use: PartyReadController.consultation)
    api.post("dispatches", use: DispatchesController.create)
    api.get("dispatches", use: DispatchesController.list)
    api.get("dispatches", ":id", use: DispatchesController.show)
    api.get("mail", use: MailController.list)
    api.on(.POST, "inbound-mail", body: .stream, use: MailController.inbound)
    app.haken.routeTable = RouteTable(app.routes.all)
}
