import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit

/// Where HakenDesk keeps its data. SQLite in the data folder is the embedded default;
/// PostgreSQL when `HAKEN_DATABASE_URL` is set.
public struct StoreConfiguration: Sendable, Equatable {
    /// `HAKEN_DATA_DIR`, default `./var/`: the SQLite file, raw mail and uploads.
    public var dataDirectory: URL
    /// `HAKEN_DATABASE_URL`, `postgres://user:pass@host:port/db`.
    public var databaseURL: String?

    public init(dataDirectory: URL, databaseURL: String? = nil) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> StoreConfiguration {
        let directory = environment["HAKEN_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./var"
        let url = environment["HAKEN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        return StoreConfiguration(dataDirectory: URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL, databaseURL: url)
    }

    public var sqliteFile: URL { dataDirectory.appendingPathComponent("hakendesk.sqlite") }
    public var blobDirectory: URL { dataDirectory.appendingPathComponent("blobs", isDirectory: true) }

    /// Human-readable, without the password: for the start-up banner and logs.
    public var databaseDescription: String {
        guard let databaseURL, var components = URLComponents(string: databaseURL) else {
            return "SQLite \(sqliteFile.path)"
        }
        if components.password != nil { components.password = "****" }
        return "PostgreSQL \(components.string ?? "")"
    }

    /// The PostgreSQL schema named by `?schema=` in the database URL, if any.
    public var postgresSchema: String? {
        guard let databaseURL else { return nil }
        return URLComponents(string: databaseURL)?.queryItems?.first { $0.name == "schema" }?.value
    }

    /// Runs before the migrations: creates the configured PostgreSQL schema on first start.
    /// On SQLite, switches the file to write-ahead logging (a setting the file keeps):
    /// a commit is then one fsync of the log instead of the journal's several, and readers
    /// (the web pages) no longer wait for the mail job's writes. Commits stay durable
    /// (`synchronous` stays FULL).
    public func prepare(_ database: Database) async throws {
        guard let sql = database as? SQLDatabase else { return }
        if databaseURL == nil {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        } else if let schema = postgresSchema {
            try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
    }

    /// Creates the data folder (first start) and registers the database with Fluent.
    public func register(on databases: Databases) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: blobDirectory, withIntermediateDirectories: true)
        if let databaseURL {
            // `?schema=NAME` puts every table in one schema (tests use a schema each).
            var components = URLComponents(string: databaseURL)
            let schema = postgresSchema
            let otherItems = components?.queryItems?.filter { $0.name != "schema" } ?? []
            components?.queryItems = otherItems.isEmpty ? nil : otherItems
            var configuration = try SQLPostgresConfiguration(url: components?.string ?? databaseURL)
            if let schema { configuration.searchPath = [schema] }
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4), as: .psql)
        } else {
            // Every SQLite writer waits for the one file: a burst of writers (24 audit appends
            // while the disk is busy) queued longer than the driver's default 10 s and failed with
            // connectionRequestTimeout instead of waiting its turn. A minute is still an answer.
            databases.use(.sqlite(.file(sqliteFile.path), maxConnectionsPerEventLoop: 1, connectionPoolTimeout: .seconds(60)), as: .sqlite)
        }
    }
}
