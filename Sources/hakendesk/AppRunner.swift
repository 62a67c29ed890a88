import ArgumentParser
import Foundation
import HakenApp
import Logging
import Vapor

/// Builds a configured application for a command, and always shuts it down again.
enum AppRunner {
    static func withApp<T>(restoringAuditGuard: Bool = true, _ body: (Application, AppConfiguration) async throws -> T) async throws -> T {
        let configuration: AppConfiguration
        do {
            configuration = try AppConfiguration.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
        bootstrapLogging(json: configuration.jsonLogs)
        // Vapor must not read our command line: ArgumentParser owns it.
        let environment = Environment(name: "production", arguments: ["hakendesk"])
        let app = try await Application.make(environment)
        do {
            try await HakenApp.configure(app, configuration, restoringAuditGuard: restoringAuditGuard)
            let result = try await body(app, configuration)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    static func bootstrapLogging(json: Bool) {
        struct Once { nonisolated(unsafe) static var done = false }
        guard !Once.done else { return }
        Once.done = true
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "") ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
