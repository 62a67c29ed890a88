import Fluent
import Foundation
import HakenMail
import HakenStore
import Logging
import ServiceLifecycle
import Vapor

/// Delivers the outbox through the relay (HAKEN_SMTP_RELAY), oldest first, with retries and
/// backoff. A row is marked sent as soon as the relay accepts it; a temporary failure moves
/// its next attempt later (1, 2, 4 … minutes, at most an hour); a permanent one, or the
/// 20th failure, marks it failed for a person to look at. Without a relay mail waits.
public struct OutboxSender: Sendable {
    public static let maxAttempts = 20

    let relay: SMTPClient.Relay
    let client: SMTPClient
    let sender: String
    let clock: HakenClock

    public init(settings: MailSettings, group: any EventLoopGroup, clock: HakenClock) throws {
        guard let relay = settings.relayConfiguration else {
            throw Abort(.internalServerError, reason: "HAKEN_SMTP_RELAY must be host:port")
        }
        self.relay = relay
        self.client = SMTPClient(relay: relay, group: group,
                                 heloName: settings.senderAddress.split(separator: "@").last.map(String.init) ?? "hakendesk")
        self.sender = settings.senderAddress
        self.clock = clock
    }

    /// Sends what is due; returns how many were sent.
    @discardableResult
    public func sendDue(on db: Database, logger: Logger) async throws -> Int {
        var sent = 0
        let due = try await OutboxModel.query(on: db)
            .filter(\.$status == "pending").filter(\.$nextAttemptAt <= clock.now())
            .sort(\.$createdAt).limit(50).all()
        for row in due {
            do {
                let reply = try await withTimeout(.seconds(60)) { [client, sender] in
                    try await client.send(from: sender, to: row.recipient, message: row.raw)
                }
                row.status = "sent"
                row.sentAt = clock.now()
                row.lastError = nil
                row.attempts += 1
                try await row.save(on: db)
                sent += 1
                logger.info("sent", metadata: ["to": "\(row.recipient)", "relay": "\(reply)"])
            } catch {
                row.attempts += 1
                row.lastError = "\(error)"
                let permanent = (error as? SMTPClient.Failure).map { if case .permanent = $0 { return true } else { return false } } ?? false
                if permanent || row.attempts >= Self.maxAttempts {
                    row.status = "failed"
                } else {
                    let delay = min(3600.0, 60.0 * pow(2.0, Double(row.attempts - 1)))
                    row.nextAttemptAt = clock.now().addingTimeInterval(delay)
                }
                try await row.save(on: db)
                logger.warning("outbox delivery failed", metadata: ["to": "\(row.recipient)", "error": "\(error)", "attempts": "\(row.attempts)"])
            }
        }
        return sent
    }

    private func withTimeout<T: Sendable>(_ duration: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: duration)
                throw SMTPClient.Failure.temporary("relay timed out")
            }
            guard let result = try await group.next() else { throw SMTPClient.Failure.temporary("relay timed out") }
            group.cancelAll()
            return result
        }
    }
}

/// The outbox job of `hakendesk serve`, when a relay is configured.
public struct OutboxService: Service {
    let app: Application

    public init(app: Application) { self.app = app }

    public func run() async throws {
        let sender = try OutboxSender(settings: app.haken.configuration.mail, group: app.eventLoopGroup, clock: app.hakenClock)
        let logger = Logger(label: "hakendesk.outbox")
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sender.sendDue(on: app.db, logger: logger)
            } catch {
                logger.warning("outbox paused: \(error)")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
