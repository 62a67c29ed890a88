import ArgumentParser
import Fluent
import Foundation
import HakenApp
import HakenBench
import HakenCore
import HakenStore

extension Bench {
    struct WebSeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "web-seed",
            abstract: "Seed the page benchmark's data: a programme of businesses and dispatches, and one login per role.",
            discussion: """
                Uses the configured database (HAKEN_DATA_DIR / HAKEN_DATABASE_URL), which must be empty:
                scripts/bench_web.py gives it a fresh one, then serves it and loads the pages with wrk.
                Prints one JSON line: the logins (password \(DemoLogins.password)) and a dispatch each role may read.
                """
        )

        @ArgumentParser.Option(help: "Businesses to register.") var businesses = 20_000
        @ArgumentParser.Option(help: "Dispatches to schedule across them.") var dispatches = 100_000

        func run() async throws {
            try await AppRunner.withApp { app, _ in
                guard try await DispatchModel.query(on: app.db).count() == 0 else {
                    throw ValidationError("the database is not empty: the benchmark only runs on a fresh one")
                }
                _ = try await BenchSeed.seed(businesses: businesses, dispatches: dispatches, on: app.db)
                // The parties of one dispatch: its business (a few dispatches), its institution
                // (hundreds) and its expert (tens) each get a login; the secretariat sees all.
                guard let dispatch = try await DispatchModel.query(on: app.db).sort(\.$date).first(), let id = dispatch.id else {
                    throw ValidationError("nothing was seeded")
                }
                let logins = try await DemoLogins.ensure([
                    (.secretariat, "bench-secretariat@example.jp", "事務局", nil),
                    (.institution, "bench-institution@example.jp", "支援機関", dispatch.$institution.id),
                    (.expert, "bench-expert@example.jp", "専門家", dispatch.$expert.id),
                    (.business, "bench-business@example.jp", "事業者", dispatch.$business.id),
                ], on: app)
                let accounts = logins.map { "\"\($0.role.rawValue)\": \"\($0.email)\"" }.joined(separator: ", ")
                say(#"{"accounts": {\#(accounts)}, "password": "\#(DemoLogins.password)", "dispatch": "\#(id.uuidString.lowercased())"}"#)
            }
        }
    }
}
