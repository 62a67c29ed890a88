import HakenStore
import Logging
import ServiceLifecycle
import Vapor

/// Runs Vapor's HTTP server as a ServiceLifecycle service: on SIGTERM/SIGINT it stops
/// accepting, lets requests in flight finish, then returns.
public struct HTTPService: Service {
    let app: Application

    public init(app: Application) { self.app = app }

    public func run() async throws {
        try await app.server.start(address: nil)
        try? await gracefulShutdown()
        await app.server.shutdown()
    }
}

/// Starts every service of `hakendesk serve` and waits until a signal stops them.
public enum HakenServer {
    public static func run(app: Application, logger: Logger) async throws {
        let configuration = app.haken.configuration
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: HTTPService(app: app))]
        if configuration.mail.smtpPort != 0 { services.append(.init(service: SMTPService(app: app))) }
        if configuration.mail.processing { services.append(.init(service: MailProcessingService(app: app))) }
        if configuration.store.databaseURL == nil { services.append(.init(service: SQLiteCheckpointService(file: configuration.store.sqliteFile))) }
        if configuration.mail.relay != nil { services.append(.init(service: OutboxService(app: app))) }
        services.append(.init(service: AuditAnchorService(app: app)))
        if configuration.schedulerInterval > 0 { services.append(.init(service: DeadlineService(app: app))) }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}

/// `SQLiteCheckpointer` for as long as the server runs (SQLite only).
struct SQLiteCheckpointService: Service {
    let file: URL

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await SQLiteCheckpointer.run(file: file, logger: Logger(label: "hakendesk.sqlite"))
        }
    }
}
