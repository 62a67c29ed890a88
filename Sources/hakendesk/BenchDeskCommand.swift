import ArgumentParser
import Fluent
import Foundation
import HakenApp
import HakenBench
import HakenCore
import HakenStore

extension Bench {
    struct DeskSeed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "desk-seed",
            abstract: "Seed the desk benchmark's data: a programme of dispatches, a year of received mail in every queue, and a secretariat login.",
            discussion: """
                Uses the configured database, which must be empty: scripts/bench_desk.py gives it a fresh one, then serves it
                and loads the desk's pages with wrk. Prints one JSON line: the login (password \(DemoLogins.password)) and counts.
                """
        )

        @ArgumentParser.Option(help: "Businesses to register.") var businesses = 20_000
        @ArgumentParser.Option(help: "Dispatches to schedule across them.") var dispatches = 100_000
        @ArgumentParser.Option(help: "Received mails, already processed.") var mails = 1_000_000

        func run() async throws {
            try await AppRunner.withApp { app, _ in
                guard try await DispatchModel.query(on: app.db).count() == 0 else {
                    throw ValidationError("the database is not empty: the benchmark only runs on a fresh one")
                }
                let seeded = try await BenchSeed.seed(businesses: businesses, dispatches: dispatches, on: app.db)
                let desk = try await BenchSeed.processedMails(mails, seeded: seeded, on: app.db)
                let logins = try await DemoLogins.ensure([(.secretariat, "bench-desk@example.jp", "事務局", nil)], on: app)
                say(#"{"account": "\#(logins.first?.email ?? "")", "password": "\#(DemoLogins.password)", "mails": \#(desk.mails), "photos": \#(desk.photos)}"#)
            }
        }
    }
}
