import Foundation
import Logging
import SQLiteNIO

/// Keeps SQLite's write-ahead log short from the side. Left to itself, SQLite copies the
/// log back into the database inside whichever commit crosses 1,000 pages — a few times a
/// second under a mail rush, each one making that batch's mails wait several milliseconds
/// (the processing benchmark's p99). A PASSIVE checkpoint on a connection of its own, on
/// another thread, does the copying in between; it never blocks writers, and SQLite's own
/// checkpoint stays on as the fallback.
public enum SQLiteCheckpointer {
    /// Runs until cancelled.
    public static func run(file: URL, every interval: Duration = .milliseconds(50), logger: Logger) async {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: file.path), logger: logger)
        } catch {
            logger.warning("SQLite checkpointer not started: \(error)")
            return
        }
        while !Task.isCancelled {
            do {
                try await connection.query("PRAGMA wal_checkpoint(PASSIVE)", [], { _ in })
            } catch {
                logger.debug("SQLite checkpoint skipped: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
        // The future-returning close: the async one gives up when the task is cancelled,
        // which is exactly when this runs, and an unclosed connection must not be dropped.
        try? await connection.close().get()
    }
}
