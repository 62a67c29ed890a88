import Fluent
import Foundation
import HakenApp
import HakenMail
import HakenStore
import HakenTestSupport
import NIOConcurrencyHelpers
import Testing
import Vapor

/// DEC-9's outbound path: a receipt is sent once, and neither lost nor doubled while the
/// relay is down. The relay here is HakenDesk's own SMTP server on loopback.
@Suite struct OutboxTests {
    @Test("DEC-9: a receipt waits for the relay and is sent once", arguments: TestDatabase.all)
    func testDEC9_aReceiptWaitsForTheRelayAndIsSentOnce(database: TestDatabase) async throws {
        // A free port: bind a relay to port 0, note its port, stop it again.
        let received = NIOLockedValueBox<[String]>([])
        func relay(port: Int) -> SMTPServer {
            SMTPServer(configuration: .init(host: "127.0.0.1", port: port,
                                            session: .init(hostname: "relay.test", acceptedRecipients: ["info@basona.example.jp"],
                                                           maxMessageSize: 1_000_000)),
                       group: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "relay")) { _, bytes in
                received.withLockedValue { $0.append(String(decoding: bytes, as: UTF8.self)) }
                return "relayed"
            }
        }
        let probe = relay(port: 0)
        let port = try await probe.start()
        await probe.stop()

        var relaySettings = MailSettings()
        relaySettings.relay = "127.0.0.1:\(port)"
        let settings = relaySettings
        try await database.withHakenApp(mail: settings) { app in
            let start = Date(timeIntervalSince1970: 1_566_351_000)
            app.hakenClock = .fixed(start)
            try await app.db.transaction { db in
                try await Outbox.enqueue([Outbox.receipt(.receipt, to: "info@basona.example.jp", subject: "【受付】支援開始報告", body: "ばそな建設様\n受け付けました。",
                                                         inReplyTo: "<r1@x>", mailID: UUID(), sender: settings.outboxSender, now: start)], on: db)
            }
            let sender = try OutboxSender(settings: settings, group: app.eventLoopGroup, clock: app.hakenClock)

            // Relay down: the receipt stays, with its next attempt a minute later.
            #expect(try await sender.sendDue(on: app.db, logger: app.logger) == 0)
            var row = try #require(try await OutboxModel.query(on: app.db).first())
            #expect(row.status == "pending")
            #expect(row.attempts == 1)
            #expect(row.nextAttemptAt == start.addingTimeInterval(60))

            // Before that minute nothing is tried; after it the relay is up and takes it.
            let server = relay(port: port)
            try await server.start()
            defer { Task { await server.stop() } }
            #expect(try await sender.sendDue(on: app.db, logger: app.logger) == 0)
            let retry = try OutboxSender(settings: settings, group: app.eventLoopGroup, clock: .fixed(start.addingTimeInterval(61)))
            #expect(try await retry.sendDue(on: app.db, logger: app.logger) == 1)
            row = try #require(try await OutboxModel.query(on: app.db).first())
            #expect(row.status == "sent")
            #expect(row.attempts == 2)
            // Sent rows are never sent again.
            #expect(try await retry.sendDue(on: app.db, logger: app.logger) == 0)
            let messages = received.withLockedValue { $0 }
            #expect(messages.count == 1)
            let read = MailReader.read(Array(messages.first?.utf8 ?? "".utf8))
            #expect(read.subject == "【受付】支援開始報告")
            #expect(read.autoSubmitted)
            await server.stop()
        }
    }
}
