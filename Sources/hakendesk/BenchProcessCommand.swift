import ArgumentParser
import Fluent
import Foundation
import HakenBench
import HakenApp
import HakenCore
import HakenMail
import HakenStore
import Vapor

extension Bench {
    struct Process: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Processing benchmark: seed businesses and dispatches, queue report mails, process them all.",
            discussion: """
                Uses the configured database (HAKEN_DATA_DIR / HAKEN_DATABASE_URL), which must be empty:
                scripts/bench_process.py gives it a fresh one. Seeding and queueing are not timed; the
                processing (read, match, evidence, audit, receipt queued) is. Prints one JSON line.
                """
        )

        @ArgumentParser.Option(help: "Businesses to register.") var businesses = 20_000
        @ArgumentParser.Option(help: "Dispatches to schedule across them.") var dispatches = 100_000
        @ArgumentParser.Option(help: "Mails per transaction.") var batchSize = 32
        @ArgumentParser.Option(help: "Report mails to queue (a start and an end report per dispatch, for half as many dispatches).") var mails = 50_000

        func run() async throws {
            try await AppRunner.withApp { app, configuration in
                guard try await DispatchModel.query(on: app.db).count() == 0 else {
                    throw ValidationError("the database is not empty: the benchmark only runs on a fresh one")
                }
                let seedStart = ContinuousClock.now
                let seeded = try await BenchSeed.seed(businesses: businesses, dispatches: dispatches, on: app.db)
                let queued = try await BenchSeed.queueReports(mails, seeded: seeded,
                                                              secretariat: configuration.mail.secretariatAddresses[0], on: app.db)
                let seedSeconds = (ContinuousClock.now - seedStart).seconds

                let processor = MailProcessor(services: app.haken, clock: .system, batchSize: batchSize)
                let latencies = LatencyLog()
                // As `serve` runs it: SQLite's log is checkpointed beside the processing.
                let checkpointer = configuration.store.databaseURL == nil
                    ? Task { await SQLiteCheckpointer.run(file: configuration.store.sqliteFile, logger: app.logger) } : nil
                let start = ContinuousClock.now
                let count = try await processor.processQueued(on: app.db, logger: app.logger) { latencies.add($0) }
                let seconds = (ContinuousClock.now - start).seconds
                checkpointer?.cancel()
                await checkpointer?.value

                let statuses = try await InboundMailModel.query(on: app.db).all(\.$status)
                let byStatus = Dictionary(grouping: statuses, by: { $0 }).mapValues(\.count)
                let evidence = try await EvidenceModel.query(on: app.db).count()
                let audit = try await AuditEntryModel.query(on: app.db).count()
                let outbox = try await OutboxModel.query(on: app.db).count()
                let sorted = latencies.sorted()
                func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
                let statusJSON = byStatus.keys.sorted().map { "\"\($0)\": \(byStatus[$0]!)" }.joined(separator: ", ")
                say("""
                    {"database": "\(configuration.store.databaseURL == nil ? "sqlite" : "postgresql")", "businesses": \(businesses), "dispatches": \(dispatches), \
                    "batchSize": \(batchSize), "queued": \(queued), "processed": \(count), "seconds": \(seconds), "mailsPerSecond": \(Double(count) / seconds), \
                    "p50ms": \(percentile(0.5)), "p99ms": \(percentile(0.99)), "maxms": \(sorted.last.map { $0 * 1000 } ?? 0), \
                    "statuses": {\(statusJSON)}, "evidence": \(evidence), "auditEntries": \(audit), "receiptsQueued": \(outbox), \
                    "seedSeconds": \(seedSeconds)}
                    """)
            }
        }
    }
}

/// Per-mail latencies, collected from the processing job.
final class LatencyLog: @unchecked Sendable {
    private var values: [Double] = []
    private let lock = NSLock()

    func add(_ duration: Duration) { lock.withLock { values.append(duration.seconds) } }
    func sorted() -> [Double] { lock.withLock { values.sorted() } }
}

