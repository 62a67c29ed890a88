import Fluent
import Foundation
import HakenCore
import HakenStore

/// #12's index benchmark (`hakendesk bench photo-index`): `photo_facts` filled with a national
/// scale of perceptual hashes, then `PhotoFingerprints.near` — the lookup intake runs for every
/// photo — timed against a primary-key read of one row (the reference) in the same run.
public enum PhotoIndexBench {
    public struct Result: Sendable {
        public var hashes: Int
        public var seedSeconds: Double
        /// Per lookup kind: p50, p99, max in milliseconds, and matches found in all.
        public var rows: [(label: String, p50: Double, p99: Double, max: Double, found: Int)]
    }

    /// A perceptual hash as imagehash makes them: 64 bits, 32 of them set (above the median).
    static func hash(_ random: inout SplitMix) -> UInt64 {
        var bits = Array(repeating: true, count: 32) + Array(repeating: false, count: 32)
        bits.shuffle(using: &random)
        return bits.reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
    }

    static func flip(_ hash: UInt64, bits: Int, _ random: inout SplitMix) -> UInt64 {
        var out = hash
        for _ in 0..<bits { out ^= 1 << (random.next() % 64) }
        return out
    }

    public static func run(hashes count: Int, lookups: Int, on db: Database) async throws -> Result {
        var random = SplitMix(seed: 2_026_12_01)
        var kept: [(id: UUID, hash: UInt64)] = []
        let started = ContinuousClock.now
        var batch: [(id: UUID, entry: PhotoFingerprints.Entry)] = []
        var previous: UInt64 = 0
        let now = Date()
        for n in 0..<count {
            // One photo in ten is a re-sent copy of an earlier one (a few bits apart), as real mail has.
            let value = n > 0 && n % 10 == 0 ? flip(previous, bits: Int(random.next() % 4), &random) : hash(&random)
            previous = value
            let id = UUID()
            var facts = PhotoFacts(sha256: String(format: "%064llx", value))
            facts.perceptualHash = value
            batch.append((id, PhotoFingerprints.Entry(kind: .support, file: "bench/\(n).jpg", facts: facts)))
            if n % max(1, count / lookups) == 0 { kept.append((id, value)) }
            if batch.count == 1_000 {
                try await PhotoFingerprints.insert(batch, on: db, now: now)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await PhotoFingerprints.insert(batch, on: db, now: now)
        let seedSeconds = (ContinuousClock.now - started).seconds

        func measure(_ label: String, _ body: (Int) async throws -> Int) async throws -> (String, Double, Double, Double, Int) {
            var times: [Double] = []
            var found = 0
            for index in 0..<lookups {
                let start = ContinuousClock.now
                found += try await body(index)
                times.append((ContinuousClock.now - start).seconds * 1000)
            }
            times.sort()
            let p99 = times[min(times.count - 1, Int((Double(times.count) * 0.99).rounded(.up)) - 1)]
            return (label, times[times.count / 2], p99, times.last ?? 0, found)
        }
        var rows: [(label: String, p50: Double, p99: Double, max: Double, found: Int)] = []
        let reference = try await measure("reference: one row by primary key") { index in
            try await PhotoFingerprints.one(kept[index % kept.count].id, on: db) == nil ? 0 : 1
        }
        rows.append(reference)
        for distance in [PhotoChecks.defaultHashDistance, PhotoChecks.hashDistanceRange.upperBound] {
            rows.append(try await measure("near, distance ≤ \(distance) (a copy 0–3 bits off a stored photo)") { index in
                var facts = PhotoFacts(sha256: "probe")
                facts.perceptualHash = flip(kept[index % kept.count].hash, bits: index % 4, &random)
                return try await PhotoFingerprints.near(facts, maxDistance: distance, on: db).count
            })
            rows.append(try await measure("near, distance ≤ \(distance) (a new photo)") { _ in
                var facts = PhotoFacts(sha256: "probe")
                facts.perceptualHash = hash(&random)
                return try await PhotoFingerprints.near(facts, maxDistance: distance, on: db).count
            })
        }
        return Result(hashes: count, seedSeconds: seedSeconds, rows: rows)
    }
}

extension Duration {
    /// For the benchmarks' tables.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
