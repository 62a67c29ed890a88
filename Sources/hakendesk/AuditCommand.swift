import ArgumentParser
import Foundation
import HakenApp
import HakenCore
import HakenStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the append-only audit log (NOTE-3).",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-compute the hash chain of the audit log; exit 1 if any entry was changed or removed."
        )

        func run() async throws {
            let result = try await AppRunner.withApp { app, _ in try await AuditLog.verify(on: app.db) }
            switch result {
            case .intact(let entries):
                say("audit log intact: \(entries) entries")
            case .broken(let seq, let reason):
                say("audit log BROKEN at entry \(seq): \(reason)")
                throw ExitCode(1)
            }
        }
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue API tokens for institutions, businesses, experts or the secretariat.",
        subcommands: [Issue.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new API token; it is printed once and stored only as a hash.")

        @Option(help: "secretariat, institution, business or expert")
        var role: String

        @Option(help: "The id of the institution, business or expert the token acts for.")
        var party: String?

        @Option(help: "A note saying who holds the token.")
        var label: String = ""

        func validate() throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("unknown role: \(self.role)") }
            if role != .secretariat && party.flatMap(UUID.init(uuidString:)) == nil {
                throw ValidationError("--party <uuid> is required for role \(role.rawValue)")
            }
        }

        func run() async throws {
            let token = try await AppRunner.withApp { app, _ in
                try await APITokens.issue(role: Role(rawValue: role)!, partyID: party.flatMap(UUID.init(uuidString:)),
                                          label: label, on: app.db)
            }
            say(token)
        }
    }
}
