import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct Hakendesk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hakendesk",
        abstract: "HakenDesk: 専門家派遣 事務局システム (the secretariat of an expert-dispatch programme).",
        discussion: """
        Settings come from the environment: HAKEN_DATA_DIR (default ./var), HAKEN_DATABASE_URL
        (PostgreSQL; SQLite in the data folder when unset), HAKEN_HTTP_HOST, HAKEN_HTTP_PORT,
        HAKEN_ADMIN_TOKEN, HAKEN_LOG_FORMAT=json.
        """,
        subcommands: [Serve.self, Migrate.self, Demo.self, Mail.self, Audit.self, Token.self, Invite.self, Deadlines.self, CalendarCommand.self, PhotoCommand.self, FormsCommand.self, Bench.self],
        defaultSubcommand: nil
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Prints and flushes at once, so messages reach a log file or pipe while the server runs.
func say(_ text: String) {
    print(text)
    fflush(nil)
}
