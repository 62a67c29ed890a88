import ArgumentParser
import Foundation
import HakenApp
import HakenMail
import HakenStore

struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read mail the way HakenDesk's intake does.",
        subcommands: [Inspect.self, Ingest.self]
    )

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what HakenDesk reads from one .eml file, as one JSON object.",
            discussion: "Exit 0 for any message it could read (damage is listed under \"problems\"); non-zero only when the file cannot be read."
        )

        @Option(name: .customLong("received-at"), help: "When the message was received (ISO 8601), to place the report's date in a year (DEC-3).")
        var receivedAt: String?

        @Argument(help: "The message file (RFC 5322).")
        var file: String

        func validate() throws {
            if let receivedAt, Self.parseInstant(receivedAt) == nil {
                throw ValidationError("--received-at must be ISO 8601, e.g. 2019-08-21T10:30:00+09:00")
            }
        }

        func run() throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                FileHandle.standardError.write(Data("hakendesk mail inspect: cannot read \(file): \(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
            // Read in place: a copy into an array would double the peak for a large message.
            let message = data.withUnsafeBytes { MailReader.read($0.bindMemory(to: UInt8.self)) }
            say(message.inspectJSON(receivedAt: receivedAt.flatMap(Self.parseInstant)).rendered)
        }

        static func parseInstant(_ text: String) -> Double? {
            let formatter = ISO8601DateFormatter()
            if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: text)?.timeIntervalSince1970
        }
    }
}

extension Mail {
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed .eml files through the same path as SMTP: store, process, record evidence, queue receipts.",
            discussion: "Each file is received now (or at --received-at). Prints one line per file with what became of it."
        )

        @Option(name: .customLong("received-at"), help: "Treat the files as received at this moment (ISO 8601).")
        var receivedAt: String?

        @Argument(help: "Message files (RFC 5322).")
        var files: [String]

        func validate() throws {
            if let receivedAt, Inspect.parseInstant(receivedAt) == nil {
                throw ValidationError("--received-at must be ISO 8601, e.g. 2019-08-21T10:30:00+09:00")
            }
        }

        func run() async throws {
            var unreadable = false
            try await AppRunner.withApp { app, configuration in
                let moment = receivedAt.flatMap(Inspect.parseInstant).map { Date(timeIntervalSince1970: $0) }
                var ids: [(String, UUID, Bool)] = []
                for file in files {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                        unreadable = true
                        continue
                    }
                    let accepted = try await app.haken.intake.accept([UInt8](data), envelopeFrom: nil, envelopeTo: configuration.mail.secretariatAddresses,
                                                                     source: "cli", receivedAt: moment ?? app.hakenClock.now(),
                                                                     on: app.db)
                    ids.append((file, accepted.id, accepted.duplicate))
                }
                let processor = MailProcessor(services: app.haken, clock: app.hakenClock)
                try await processor.processQueued(on: app.db, logger: app.logger)
                for (file, id, duplicate) in ids {
                    let row = try await InboundMailModel.find(id, on: app.db)
                    say("\(file): \(duplicate ? "duplicate of " : "")\(id.uuidString.lowercased()) \(row?.status ?? "?") \(row?.reason ?? "")")
                }
            }
            if unreadable { throw ExitCode(2) }
        }
    }
}
