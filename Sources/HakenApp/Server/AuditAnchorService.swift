import Fluent
import Foundation
import HakenStore
import Logging
import ServiceLifecycle
import Vapor

/// NOTE-3: signs the audit log's head into the anchor file outside the database every ten
/// minutes while the log grows, and once more at shutdown, so entries removed later are seen
/// by `hakendesk audit verify`.
struct AuditAnchorService: Service {
    let app: Application
    static let interval: Duration = .seconds(600)

    func run() async throws {
        let logger = Logger(label: "hakendesk.audit")
        // The ten-minute wait is cancelled when shutdown begins (SIGTERM must not wait for it).
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await anchor(logger)
                try await Task.sleep(for: Self.interval)
            }
        }
        await anchor(logger)   // at shutdown: the last entries are anchored too
    }

    func anchor(_ logger: Logger) async {
        do {
            try await AuditAnchors.anchorHead(on: app.db, key: app.haken.auditKey, file: app.haken.configuration.auditKeyFiles.anchorFile,
                                              now: app.hakenClock.now())
        } catch {
            logger.warning("could not anchor the audit log: \(error)")
        }
    }
}
