import ArgumentParser
import Foundation
import HakenApp
import HakenCore
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start HakenDesk: the web pages and the JSON API on HAKEN_HTTP_PORT (default 8080).",
        discussion: "Migrations run on start; the data folder is created on first start. SIGTERM or Ctrl-C stops it gracefully."
    )

    @Flag(help: "Load the demo data set (ばそな建設, 専門家次郎, …) before serving, if it is not loaded yet.")
    var demo = false

    func run() async throws {
        try await AppRunner.withApp { app, configuration in
            if demo {
                let summary = try await DemoData.load(on: app.db, today: app.hakenClock.today, now: app.hakenClock.now(), key: app.haken.auditKey)
                say(summary.created ? "デモデータを読み込みました（事業者 \(summary.businesses) 件、派遣 \(summary.dispatches) 件）。"
                                      : "デモデータは読み込み済みです（事業者 \(summary.businesses) 件、派遣 \(summary.dispatches) 件）。")
                say("デモ用のログイン（パスワードはすべて \(DemoLogins.password)）:")
                for login in try await DemoLogins.ensure(on: app) {
                    say("  \(login.role.japaneseName): \(login.email)")
                }
            }
            say("HakenDesk listening on http://\(configuration.httpHost):\(configuration.httpPort)")
            if configuration.mail.smtpPort != 0 {
                say("SMTP on \(configuration.mail.smtpHost):\(configuration.mail.smtpPort) for \(configuration.mail.secretariatAddresses.joined(separator: ", "))")
            }
            say("Data: \(configuration.store.dataDirectory.path) (\(configuration.store.databaseDescription))")
            if configuration.adminToken == nil {
                say("注意: HAKEN_ADMIN_TOKEN が未設定のため、事務局権限の API は使えません。")
            }
            try await HakenServer.run(app: app, logger: app.logger)
            say("HakenDesk stopped.")
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema, then exit.")

    func run() async throws {
        try await AppRunner.withApp { _, configuration in
            say("Database is up to date: \(configuration.store.databaseDescription)")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo data set into the database (once), then exit.")

    func run() async throws {
        try await AppRunner.withApp { app, _ in
            let summary = try await DemoData.load(on: app.db, today: app.hakenClock.today, now: app.hakenClock.now(), key: app.haken.auditKey)
            say(summary.created ? "デモデータを読み込みました（事業者 \(summary.businesses) 件、派遣 \(summary.dispatches) 件）。"
                                  : "デモデータは読み込み済みです。何も変更していません。")
        }
    }
}
