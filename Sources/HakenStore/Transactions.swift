import Fluent
import NIOConcurrencyHelpers
import PostgresNIO
import SQLKit

extension Database {
    /// A transaction that survives the database going away mid-way (found by
    /// scripts/pg_restart.py, with PostgreSQL stopped under load):
    /// - Fluent's PostgreSQL transaction sends ROLLBACK after any error, and a ROLLBACK on a
    ///   connection the server has just terminated (FATAL 57P01) never completes. When the
    ///   connection is gone the server has rolled back already, so none is sent then.
    /// - A query in flight when the server terminates the connection can wait forever (its
    ///   promise is lost below us; closing the connection does not fail it). So the work
    ///   runs in its own task, and after `timeout` the caller stops waiting for it: the
    ///   connection is closed and handed back to the pool (which drops it), and the caller
    ///   gets `DatabaseErrors.Stuck`, a transient error. Nothing was committed.
    public func hakenTransaction<T: Sendable>(timeout: Duration = .seconds(30),
                                              _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if inTransaction { return try await body(self) }
        guard (self as? any SQLDatabase)?.dialect.name == "postgresql" else {
            // SQLite: two writers that both started reading deadlock at the upgrade to a write
            // lock, and SQLite answers BUSY at once (its busy handler cannot help there). The
            // loser is rolled back; running it again is then safe.
            var attempt = 0
            while true {
                do {
                    return try await transaction(body)
                } catch where DatabaseErrors.isSQLiteBusy(error) && attempt < 50 {
                    attempt += 1
                    try await Task.sleep(for: .milliseconds(Int.random(in: 2...20) * min(attempt, 10)))
                }
            }
        }
        return try await withConnection { connection in
            let sql = try connection.sql()
            return try await DatabaseErrors.withDeadline(timeout, onTimeout: {
                connection.logger.error("database transaction did not finish in \(timeout); abandoning its connection")
                _ = try? await (connection as? any PostgresDatabase)?.withConnection { $0.close() }.get()
            }) {
                try await sql.raw("BEGIN").run()
                do {
                    let result = try await body(connection)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    if !DatabaseErrors.connectionIsGone(error) {
                        try? await sql.raw("ROLLBACK").run()
                    }
                    throw error
                }
            }
        }
    }
}

public enum DatabaseErrors {
    /// A database call that did not come back in time (see `hakenTransaction`).
    public struct Stuck: Error, CustomStringConvertible {
        public var description: String { "the database did not answer in time" }
    }

    /// Whether an error means "the database is away" (try again later) rather than
    /// "this piece of work is wrong" (give it to a person).
    public static func isTransient(_ error: any Error) -> Bool {
        error is Stuck || isSQLiteBusy(error) || connectionIsGone(error) || (error as? PSQLError)?.code == .poolClosed
            || String(reflecting: error).contains("ConnectionPoolTimeoutError")
    }

    static func isSQLiteBusy(_ error: any Error) -> Bool {
        let text = String(describing: error)
        return text.hasPrefix("busy") || text.contains("database is locked")
    }

    static func connectionIsGone(_ error: any Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        switch psql.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown:
            return true
        case .server:
            return psql.serverInfo?[.severity] == "FATAL" || psql.serverInfo?[.severity] == "PANIC"
        default:
            return false
        }
    }

    /// Runs `work` in a task of its own and returns its result, or throws `Stuck` after
    /// `timeout` (running `onTimeout` first) while the work is left to finish or not.
    static func withDeadline<T: Sendable>(_ timeout: Duration, onTimeout: @escaping @Sendable () async -> Void,
                                          _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let settled = NIOLockedValueBox(false)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            func settle(_ result: Result<T, any Error>) {
                let first = settled.withLockedValue { done -> Bool in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(with: result) }
            }
            let timer = Task {
                do { try await Task.sleep(for: timeout) } catch { return }   // cancelled: the work finished
                guard !settled.withLockedValue({ $0 }) else { return }
                await onTimeout()
                settle(.failure(Stuck()))
            }
            Task {
                do { settle(.success(try await work())) } catch { settle(.failure(error)) }
                timer.cancel()
            }
        }
    }
}
