import Vapor

func routes(_ app: Application, configuration: AppConfiguration) throws {
    app.get("healthz", use: HealthController.check)
    app.get("metrics") { req in HakenMetrics.render(req) }
    app.get(use: HomeController.index)
    app.get("mobile", "verify", ":token", use: MobileVerificationController.show)
    app.post("mobile", "verify", ":token", use: MobileVerificationController.confirm)

    let api = app.grouped("api", "v1")
        .grouped(BearerTokenAuthenticator(adminToken: configuration.adminToken))
    api.post("institutions", use: PartiesController.createInstitution)
    api.post("experts", use: PartiesController.createExpert)
    api.post("businesses", use: PartiesController.createBusiness)
    api.post("consultations", use: ConsultationsController.create)
    api.post("dispatches", use: DispatchesController.create)
    api.get("dispatches", use: DispatchesController.list)
    api.get("dispatches", ":id", use: DispatchesController.show)
    api.get("mail", use: MailController.list)
    api.on(.POST, "inbound-mail", body: .stream, use: MailController.inbound)
}
