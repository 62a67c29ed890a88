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
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: HTTPService(app: app)), .init(service: MailProcessingService(app: app))],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
