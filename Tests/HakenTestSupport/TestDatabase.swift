import Fluent
import FluentKit
import Foundation
import HakenStore
import SQLKit
import Vapor

/// A real database for one test. SQLite always; PostgreSQL too when `HAKEN_TEST_POSTGRES_URL`
/// is set, so the same tests prove both (parameterise a test with `TestDatabase.all`).
public enum TestDatabase: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["HAKEN_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The databases this run tests against.
    public static var all: [TestDatabase] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    public var description: String { rawValue }

    /// A fresh, migrated store: a new SQLite file in a temporary folder, or a new PostgreSQL
    /// schema. Each test gets its own, so tests run in parallel without seeing each other.
    public func makeStore() throws -> StoreConfiguration {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hakendesk-test-\(UUID().uuidString.prefix(8))", isDirectory: true)
        switch self {
        case .sqlite:
            return StoreConfiguration(dataDirectory: directory)
        case .postgres:
            guard let base = Self.postgresURL else { throw Abort(.internalServerError, reason: "HAKEN_TEST_POSTGRES_URL is not set") }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let separator = base.contains("?") ? "&" : "?"
            return StoreConfiguration(dataDirectory: directory, databaseURL: "\(base)\(separator)schema=\(schema)")
        }
    }

    /// Runs `body` with an application whose database is fresh and migrated, then removes
    /// the database again.
    public func withApp(
        configure: @Sendable (Application, StoreConfiguration) async throws -> Void = { app, store in
            try store.register(on: app.databases)
            try await store.prepare(app.db)
            HakenMigrations.register(on: app.migrations)
            try await app.autoMigrate()
        },
        _ body: (Application) async throws -> Void
    ) async throws {
        // PostgreSQL allows 100 connections and each app pools several: tests that run in
        // parallel take turns beyond `PostgresSlots.limit` apps at once.
        if self == .postgres { await PostgresSlots.shared.acquire() }
        defer { if self == .postgres { Task { await PostgresSlots.shared.release() } } }
        let store = try makeStore()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, store)
            try await body(app)
        } catch {
            try? await dropSchemaIfNeeded(app, store)
            try? await app.asyncShutdown()
            try? FileManager.default.removeItem(at: store.dataDirectory)
            throw error
        }
        try await dropSchemaIfNeeded(app, store)
        try await app.asyncShutdown()
        try? FileManager.default.removeItem(at: store.dataDirectory)
    }

    private func dropSchemaIfNeeded(_ app: Application, _ store: StoreConfiguration) async throws {
        guard let schema = store.postgresSchema, let sql = app.db as? SQLDatabase else { return }
        try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
}

/// At most `limit` PostgreSQL test apps at once (each pools up to 4 connections per event loop).
actor PostgresSlots {
    static let shared = PostgresSlots()
    static let limit = 8

    private var inUse = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if inUse < Self.limit {
            inUse += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            inUse -= 1
        } else {
            waiting.removeFirst().resume()   // the slot passes straight to the next test
        }
    }
}
