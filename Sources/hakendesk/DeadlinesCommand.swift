import ArgumentParser
import Foundation
import HakenApp
import HakenCore
import HakenStore

/// `hakendesk deadlines run`: one run of the deadline scheduler that `serve` runs every
/// minute — for a cron on a node that does not serve, or to catch up by hand after downtime.
struct Deadlines: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlines",
        abstract: "Run the deadline scheduler once: outside-programme proposals, reminders (office hours only), escalations.",
        subcommands: [Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run now; what was written before is never written twice.")

        func run() async throws {
            let report = try await AppRunner.withApp { app, _ in
                try await DeadlineJob.run(app.haken, on: app.db, now: app.hakenClock.now(), holder: "cli-\(ProcessInfo.processInfo.processIdentifier)")
            }
            guard report.ran else {
                say("別のノードが実行中のため、今回は実行しませんでした。")
                return
            }
            say("事業対象外の確認待ちにした派遣: \(report.proposed)件、リマインダー: \(report.reminded)件、期限超過の通知: \(report.escalated)件")
        }
    }
}
