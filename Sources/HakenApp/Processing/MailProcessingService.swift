import Fluent
import Logging
import ServiceLifecycle
import Vapor

/// The background job of `hakendesk serve`: processes stored mail as it arrives, and on
/// start whatever a crash left queued (DEC-8).
public struct MailProcessingService: Service {
    let app: Application

    public init(app: Application) { self.app = app }

    public func run() async throws {
        let services = app.haken
        let processor = MailProcessor(services: services, clock: app.hakenClock)
        let logger = Logger(label: "hakendesk.mail")
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    let count = try await processor.processQueued(on: app.db, logger: logger)
                    if count > 0 { logger.info("processed \(count) mail(s)") }
                } catch {
                    // The database may be away (restart, failover): keep the mail queued and retry.
                    logger.warning("mail processing paused: \(error)")
                    try? await Task.sleep(for: .seconds(2))
                }
                await services.intake.signal.wait(timeout: .seconds(2))
            }
        } onGracefulShutdown: {
            services.intake.signal.notify()
        }
    }
}
