import ArgumentParser
import Fluent
import Foundation
import HakenBench
import HakenStore

extension Bench {
    struct PhotoIndex: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "photo-index",
            abstract: "#12: fill photo_facts with perceptual hashes, then time the near-photo lookup against a primary-key read.",
            discussion: "Uses the configured database, which must hold no photos (give it a fresh one). Prints a Markdown table."
        )

        @ArgumentParser.Option(help: "Hashes to store.") var hashes = 1_000_000
        @ArgumentParser.Option(help: "Lookups of each kind.") var lookups = 2_000

        func validate() throws {
            guard (1...10_000_000).contains(hashes), (1...1_000_000).contains(lookups) else {
                throw ValidationError("--hashes 1…10,000,000 and --lookups 1…1,000,000")
            }
        }

        func run() async throws {
            try await AppRunner.withApp { app, _ in
                guard try await PhotoFingerprints.count(on: app.db) == 0 else {
                    throw ValidationError("photo_facts is not empty: the benchmark only runs on a fresh database")
                }
                let result = try await PhotoIndexBench.run(hashes: hashes, lookups: lookups, on: app.db)
                say("\(result.hashes) hashes stored in \(String(format: "%.1f", result.seedSeconds)) s; \(lookups) lookups of each kind")
                say("| lookup | p50 ms | p99 ms | max ms | p99 ÷ reference p99 | photos found |")
                say("|---|---:|---:|---:|---:|---:|")
                let reference = result.rows.first?.p99 ?? 1
                for row in result.rows {
                    say(String(format: "| %@ | %.3f | %.3f | %.3f | %.1f | %d |", row.label, row.p50, row.p99, row.max, row.p99 / reference, row.found))
                }
            }
        }
    }
}
