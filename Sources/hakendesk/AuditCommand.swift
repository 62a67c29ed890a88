import ArgumentParser
import Foundation
import HakenApp
import HakenCore
import HakenStore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the append-only audit log (NOTE-3).",
        subcommands: [Verify.self, Head.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the audit log: its append-only triggers, its hash chain and keyed chain, and its last signed anchor; exit 1 on any problem."
        )

        func run() async throws {
            let inspection = try await AppRunner.withApp(restoringAuditGuard: false) { app, configuration in
                try await AuditInspection.run(on: app.db, key: app.haken.auditKey, anchorFile: configuration.auditKeyFiles.anchorFile)
            }
            if let anchor = inspection.anchor {
                say("last anchor: entry \(anchor.seq) at \(anchor.at)")
            } else {
                say("no anchor yet (serve writes one every ten minutes while the log grows, and at shutdown)")
            }
            if inspection.intact {
                say("audit log intact: \(inspection.entries) entries")
                return
            }
            for problem in inspection.problems { say("audit log BROKEN: \(problem)") }
            throw ExitCode(1)
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the log's current head, append it to the anchor file and print it, to publish elsewhere (mail it, print it, put it in a ticket)."
        )

        func run() async throws {
            let anchor = try await AppRunner.withApp { app, configuration in
                try await AuditAnchors.anchorHead(on: app.db, key: app.haken.auditKey, file: configuration.auditKeyFiles.anchorFile,
                                                  now: Date())
            }
            guard let anchor else {
                say("the audit log is empty")
                return
            }
            say(anchor.line)
        }
    }
}

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, list and revoke API tokens for institutions, businesses, experts or the secretariat.",
        subcommands: [Issue.self, List.self, Revoke.self]
    )

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new API token; it is printed once and stored only as a hash.")

        @Option(help: "secretariat, institution, business or expert")
        var role: String

        @Option(help: "The id of the institution, business or expert the token acts for (not for secretariat).")
        var party: String?

        @Option(help: "A note saying who holds the token.")
        var label: String = ""

        func validate() throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("unknown role: \(self.role)") }
            if role == .secretariat && party != nil { throw ValidationError(APITokens.Refusal.partyNotAllowed.description) }
            if role != .secretariat && party.flatMap(UUID.init(uuidString:)) == nil {
                throw ValidationError(APITokens.Refusal.partyRequired(role).description)
            }
        }

        func run() async throws {
            guard let role = Role(rawValue: role) else { throw ValidationError("unknown role: \(self.role)") }
            do {
                let token = try await AppRunner.withApp { app, _ in
                    try await APITokens.issue(role: role, partyID: party.flatMap(UUID.init(uuidString:)), label: label, on: app.db,
                                              key: app.haken.auditKey)
                }
                say(token)
            } catch let refusal as APITokens.Refusal {
                throw ValidationError(refusal.description)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (id, role, party, label, issued, revoked); never the tokens themselves.")

        func run() async throws {
            let tokens = try await AppRunner.withApp { app, _ in try await APITokens.list(on: app.db) }
            for token in tokens {
                let issued = token.createdAt.map { AuditLog.timestamp($0) } ?? "-"
                let revoked = token.revokedAt.map { "revoked " + AuditLog.timestamp($0) } ?? "active"
                say("\(token.id?.uuidString.lowercased() ?? "-")  \(token.role)  \(token.partyID?.uuidString.lowercased() ?? "-")  \(token.label)  issued \(issued)  \(revoked)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id (from token list); it stops working at once.")

        @Argument(help: "The token's id.")
        var id: String

        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("not a token id: \(id)") }
            let revoked = try await AppRunner.withApp { app, _ in try await APITokens.revoke(uuid, on: app.db, key: app.haken.auditKey) }
            guard revoked else { throw ValidationError("no active token with id \(id)") }
            say("revoked \(uuid.uuidString.lowercased())")
        }
    }
}
