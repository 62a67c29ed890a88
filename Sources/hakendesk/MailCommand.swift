import ArgumentParser
import Foundation
import HakenMail

struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read mail the way HakenDesk's intake does.",
        subcommands: [Inspect.self]
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
            let message = MailReader.read([UInt8](data))
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
