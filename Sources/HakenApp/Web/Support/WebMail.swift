import Fluent
import HakenCore
import HakenStore
import Vapor

/// Queues one mail to one person in the caller's transaction (the outbox job sends it), with
/// the secretariat's footer. `dedupe` makes a retried request queue it once.
enum WebMail {
    static func queue(_ kind: Outbox.Kind, to address: String, _ message: ReceiptText.Message, dedupe: String,
                      req: Request, on db: Database) async throws {
        try await Outbox.enqueue([row(kind, to: address, message, dedupe: dedupe, req: req)], on: db)
    }

    static func row(_ kind: Outbox.Kind, to address: String, _ message: ReceiptText.Message, dedupe: String, req: Request) -> Outbox.Row {
        row(kind, to: address, message, dedupe: dedupe, configuration: req.application.haken.configuration, now: req.application.hakenClock.now())
    }

    /// The same without a request (the command line).
    static func row(_ kind: Outbox.Kind, to address: String, _ message: ReceiptText.Message, dedupe: String,
                    configuration: AppConfiguration, now: Date) -> Outbox.Row {
        Outbox.message(kind, to: address, subject: message.subject,
                       body: message.body + ReceiptText.footer(secretariatAddress: configuration.mail.senderAddress),
                       dedupeKey: dedupe, sender: configuration.mail.outboxSender, now: now)
    }

    /// An absolute link for a mail.
    static func link(_ path: String, req: Request) -> String {
        req.application.haken.configuration.linkBase + path
    }
}
