import HakenCore
import Vapor

func routes(_ app: Application, configuration: AppConfiguration) throws {
    app.get("healthz", use: HealthController.check)
    // Metrics only for the secretariat or the scraper's token (HAKEN_METRICS_TOKEN).
    app.get("metrics") { req in
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
    app.get("assets", ":name", use: AssetsController.serve)

    // Pages (pages by role; who sees what is AccessPolicy, the same as the API's).
    app.get("login", use: LoginController.show)
    app.post("login", use: LoginController.login)
    app.post("logout", use: LoginController.logout)
    app.get("signup", use: SignUpController.show)
    app.post("signup", use: SignUpController.create)
    app.get("signup", "sent", use: SignUpController.sent)
    app.get("signup", "verify", ":token", use: SignUpController.showVerify)
    app.post("signup", "verify", ":token", use: SignUpController.verify)
    app.get("password", "forgot", use: PasswordController.showForgot)
    app.post("password", "forgot", use: PasswordController.forgot)
    app.get("password", "sent", use: PasswordController.sent)
    app.get("password", "reset", ":token", use: PasswordController.showReset)
    app.post("password", "reset", ":token", use: PasswordController.reset)
    app.get("invitation", ":token", use: PasswordController.showInvitation)
    app.post("invitation", ":token", use: PasswordController.acceptInvitation)
    app.get("business", "details", use: BusinessDetailsController.show)
    app.post("business", "details", use: BusinessDetailsController.create)
    app.get("dispatches", use: DispatchPagesController.list)
    app.get("dispatches", ":id", use: DispatchPagesController.show)
    app.get("dispatches", ":id", "today", use: TodayController.show)
    app.get("dispatches", ":id", "status.json", use: TodayController.status)
    app.get("dispatches", ":id", "report", use: ExpertReportController.show)
    app.post("dispatches", ":id", "report", use: ExpertReportController.file)
    app.get("certify", ":token", use: CertificationController.show)
    app.post("certify", ":token", use: CertificationController.certify)
    app.get("consultations", "new", use: InstitutionPagesController.newConsultation)
    app.on(.POST, "consultations", "new", body: .collect(maxSize: "12mb"), use: InstitutionPagesController.recordConsultation)
    app.get("consultations", ":id", "dispatch", use: InstitutionPagesController.newDispatch)
    app.post("consultations", ":id", "dispatch", use: InstitutionPagesController.fileDispatch)
    app.post("business", "mobile", use: BusinessDetailsController.changeMobile)
    app.get("expert", "profile", use: ExpertProfileController.show)
    app.post("expert", "profile", use: ExpertProfileController.save)
    app.post("expert", "affiliations", use: ExpertProfileController.addAffiliation)
    app.post("expert", "affiliations", ":affiliation", "remove", use: ExpertProfileController.removeAffiliation)
    app.get("dispatches", ":id", "reschedule", use: DispatchChangeController.showReschedule)
    app.post("dispatches", ":id", "reschedule", use: DispatchChangeController.reschedule)
    app.post("dispatches", ":id", "cancel", use: DispatchChangeController.cancel)
    app.get("businesses", "new", use: BusinessOnBehalfController.showRegistration)
    app.post("businesses", "new", use: BusinessOnBehalfController.register)
    app.get("businesses", ":id", "consent", use: BusinessOnBehalfController.showConsent)
    app.on(.POST, "businesses", ":id", "consent", body: .collect(maxSize: "12mb"), use: BusinessOnBehalfController.sendConsent)
    app.get("desk", "consents", use: ConsentRegisterController.show)
    app.post("desk", "consents", ":id", use: ConsentRegisterController.decide)
    app.get("desk", "consents", ":id", "file", use: ConsentRegisterController.file)
    app.get("desk", "invitations", use: InvitationPageController.show)
    app.post("desk", "invitations", use: InvitationPageController.invite)

    let api = app.grouped("api", "v1")
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
