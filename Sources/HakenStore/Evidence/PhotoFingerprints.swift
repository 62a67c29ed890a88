import Fluent
import Foundation
import HakenCore
import SQLKit

/// #12: every support and consultation photo's facts (`PhotoFacts`: EXIF, SHA-256, perceptual
/// hash), recorded on intake, with what they say against the dispatch (`PhotoChecks`): taken on
/// another day or outside the hours, or the same picture as a photo of another dispatch or a
/// consultation. The one writer and reader of `photo_facts`.
public enum PhotoFingerprints {
    public static let table = "photo_facts"
    /// The most photos one lookup names (the closest first).
    public static let maxMatches = 50

    public struct Settings: Sendable, Equatable {
        public var windowMinutes = PhotoChecks.defaultWindowMinutes
        public var hashDistance = PhotoChecks.defaultHashDistance
        public init() {}
    }

    public enum Kind: String, Sendable {
        case support, consultation
    }

    public struct Entry: Sendable {
        public var kind: Kind
        public var dispatchID: UUID?
        public var consultationID: UUID?
        public var mailID: UUID?
        public var file: String
        public var facts: PhotoFacts

        public init(kind: Kind, dispatchID: UUID? = nil, consultationID: UUID? = nil, mailID: UUID? = nil, file: String, facts: PhotoFacts) {
            (self.kind, self.dispatchID, self.consultationID, self.mailID, self.file, self.facts) = (kind, dispatchID, consultationID, mailID, file, facts)
        }
    }

    /// A recorded photo, as the desk shows it.
    public struct Row: Sendable, Equatable {
        public var id: UUID
        public var kind: Kind
        public var dispatchID: UUID?
        public var consultationID: UUID?
        public var file: String
        public var facts: PhotoFacts
    }

    /// A photo on file close to another one.
    public struct Match: Sendable, Equatable {
        public var row: Row
        /// "支援状況写真（ばそな建設・8月1日(金)）"
        public var label: String
        public var identical: Bool
        public var distance: Int
    }

    // MARK: - Writing

    /// Records the photos and returns what they say against their dispatches, for
    /// `Discrepancies.review` in the same transaction. Each photo is compared with those on file
    /// before it (including earlier ones of the same call), never with its own dispatch's.
    public static func record(_ entries: [Entry], settings: Settings, on db: Database, now: Date) async throws -> [Discrepancies.Entry] {
        var found: [Discrepancies.Entry] = []
        for entry in entries {
            let id = UUID()
            let key = id.uuidString.lowercased()
            if let dispatchID = entry.dispatchID {
                let earlier = try await near(entry.facts, maxDistance: settings.hashDistance, excludingDispatch: dispatchID, on: db)
                found += PhotoChecks.reuse(earlier.map { .init(photoKey: $0.row.id.uuidString.lowercased(), label: $0.label,
                                                               identical: $0.identical, distance: $0.distance) },
                                           maxDistance: settings.hashDistance, photoKey: key)
                    .map { Discrepancies.Entry(dispatchID: dispatchID, finding: $0, mailID: entry.mailID) }
                if entry.kind == .support, let schedule = try await schedule(dispatchID, on: db),
                   let finding = PhotoChecks.timing(entry.facts, schedule: schedule, windowMinutes: settings.windowMinutes, photoKey: key) {
                    found.append(Discrepancies.Entry(dispatchID: dispatchID, finding: finding, mailID: entry.mailID))
                }
            }
            try await insert([(id, entry)], on: db, now: now)
        }
        return found
    }

    /// CON-2 with #12: when a dispatch is filed from a consultation, its consultation photo is checked
    /// against every other photo on file (another consultation's, or a dispatch's support photo);
    /// what is found is the new dispatch's, for `Discrepancies.review`.
    public static func consultationReuse(_ consultationID: UUID, dispatchID: UUID, settings: Settings, on db: Database) async throws
        -> [Discrepancies.Entry] {
        guard let row = try await db.sql().raw(selectRows + " WHERE f.consultation_id = \(bind: consultationID) AND f.kind = 'consultation' ORDER BY f.created_at DESC")
            .first().map({ try decodeMatch($0).row }) else { return [] }
        let earlier = try await near(row.facts, maxDistance: settings.hashDistance, excludingDispatch: dispatchID, excludingID: row.id, on: db)
        return PhotoChecks.reuse(earlier.map { .init(photoKey: $0.row.id.uuidString.lowercased(), label: $0.label, identical: $0.identical, distance: $0.distance) },
                                 maxDistance: settings.hashDistance, photoKey: row.id.uuidString.lowercased(), subject: "経営相談の写真")
            .map { Discrepancies.Entry(dispatchID: dispatchID, finding: $0) }
    }

    /// Writes the rows (the benchmark seeds through here too): one multi-row INSERT.
    public static func insert(_ rows: [(id: UUID, entry: Entry)], on db: Database, now: Date) async throws {
        guard !rows.isEmpty else { return }
        let insert = try db.sql().insert(into: table)
            .columns("id", "kind", "dispatch_id", "consultation_id", "mail_id", "file_path", "sha256", "phash", "q0", "q1", "q2", "q3",
                     "has_exif", "taken_at", "taken_offset", "latitude", "longitude", "camera", "created_at")
        for (id, entry) in rows {
            let facts = entry.facts
            let parts: [Int?] = facts.perceptualHash.map { Self.quarters($0).map { Optional($0) } } ?? [nil, nil, nil, nil]
            insert.values(SQLBind(id), SQLBind(entry.kind.rawValue), SQLBind(entry.dispatchID), SQLBind(entry.consultationID), SQLBind(entry.mailID),
                          SQLBind(entry.file), SQLBind(facts.sha256), SQLBind(facts.perceptualHash.map { Int64(bitPattern: $0) }),
                          SQLBind(parts[0]), SQLBind(parts[1]), SQLBind(parts[2]), SQLBind(parts[3]),
                          SQLBind(facts.hasEXIF), SQLBind(facts.takenAt?.isoMinute), SQLBind(facts.offsetMinutes),
                          SQLBind(facts.latitude), SQLBind(facts.longitude), SQLBind(facts.camera), SQLBind(now))
        }
        try await insert.run()
    }

    // MARK: - Reading

    /// The photos on file within `maxDistance` bits of these facts' hash, or byte-identical,
    /// closest first; the support photos of `excludingDispatch` are left out (a business sending
    /// its own photo again is not a reuse).
    public static func near(_ facts: PhotoFacts, maxDistance: Int, excludingDispatch: UUID? = nil, excludingID: UUID? = nil,
                            on db: Database) async throws -> [Match] {
        let limit = min(max(0, maxDistance), PhotoChecks.hashDistanceRange.upperBound)
        var condition: SQLQueryString = "sha256 = \(bind: facts.sha256)"
        if let hash = facts.perceptualHash {
            for (index, quarter) in quarters(hash).enumerated() {
                condition = condition + " OR \(unsafeRaw: "q\(index)") IN (\(binds: neighbours(quarter, bits: limit / 4)))"
            }
        }
        // First the candidates the quarter indexes give, three columns each and no joins (at a
        // million photos a lookup reads about two thousand); then the names of the few that match.
        var query: SQLQueryString = "SELECT id, sha256, phash FROM photo_facts WHERE (" + condition + ")"
        if let excludingID { query = query + " AND id <> \(bind: excludingID)" }
        if let excludingDispatch { query = query + " AND NOT (kind = 'support' AND COALESCE(dispatch_id = \(bind: excludingDispatch), FALSE))" }
        let sql = try db.sql()
        var close: [UUID: (identical: Bool, distance: Int)] = [:]
        for row in try await sql.raw(query).all() {
            let id = try row.decode(column: "id", as: UUID.self)
            let identical = try row.decode(column: "sha256", as: String.self) == facts.sha256
            let theirs = try row.decode(column: "phash", as: Int64?.self).map { UInt64(bitPattern: $0) }
            let distance = facts.perceptualHash.flatMap { mine in theirs.map { (mine ^ $0).nonzeroBitCount } } ?? (identical ? 0 : 64)
            if identical || distance <= limit { close[id] = (identical, distance) }
        }
        guard !close.isEmpty else { return [] }
        // The closest `maxMatches` are enough for a person (a blank picture many send must not
        // become one query with a bind per photo on file).
        let nearest = close.sorted { ($0.value.distance, $0.key.uuidString) < ($1.value.distance, $1.key.uuidString) }.prefix(maxMatches).map(\.key)
        var matches: [Match] = []
        for row in try await sql.raw(selectRows + " WHERE f.id IN (\(binds: nearest))").all() {
            let match = try decodeMatch(row)
            guard let found = close[match.row.id] else { continue }
            matches.append(Match(row: match.row, label: match.label, identical: found.identical, distance: found.distance))
        }
        return matches.sorted { ($0.distance, $0.row.id.uuidString) < ($1.distance, $1.row.id.uuidString) }
    }

    /// The facts of the photo stored at `file` (the evidence item's file), if recorded.
    public static func forFile(_ file: String, on db: Database) async throws -> Row? {
        try await db.sql().raw(selectRows + " WHERE f.file_path = \(bind: file) ORDER BY f.created_at DESC").first().map { try decodeMatch($0).row }
    }

    public static func count(on db: Database) async throws -> Int {
        try await db.sql().raw("SELECT COUNT(*) AS n FROM photo_facts").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public static func one(_ id: UUID, on db: Database) async throws -> Row? {
        try await db.sql().raw(selectRows + " WHERE f.id = \(bind: id)").first().map { try decodeMatch($0).row }
    }

    // MARK: - Helpers

    static let selectRows: SQLQueryString = """
        SELECT f.id, f.kind, f.dispatch_id, f.consultation_id, f.file_path, f.sha256, f.phash, f.has_exif, f.taken_at, f.taken_offset,
               f.latitude, f.longitude, f.camera, COALESCE(d.date, c.date) AS label_date, COALESCE(db.name, cb.name) AS label_business
        FROM photo_facts f
        LEFT JOIN dispatches d ON d.id = f.dispatch_id LEFT JOIN businesses db ON db.id = d.business_id
        LEFT JOIN consultations c ON c.id = f.consultation_id LEFT JOIN businesses cb ON cb.id = c.business_id
        """

    static func decodeMatch(_ row: any SQLRow) throws -> (row: Row, label: String) {
        let kind = Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .support
        var facts = PhotoFacts(sha256: try row.decode(column: "sha256", as: String.self))
        facts.perceptualHash = try row.decode(column: "phash", as: Int64?.self).map { UInt64(bitPattern: $0) }
        facts.hasEXIF = try row.decode(column: "has_exif", as: Bool.self)
        facts.takenAt = try row.decode(column: "taken_at", as: String?.self).flatMap(LocalDateTime.init(isoMinute:))
        facts.offsetMinutes = try row.decode(column: "taken_offset", as: Int?.self)
        facts.latitude = try row.decode(column: "latitude", as: Double?.self)
        facts.longitude = try row.decode(column: "longitude", as: Double?.self)
        facts.camera = try row.decode(column: "camera", as: String?.self)
        let date = try row.decode(column: "label_date", as: String?.self).flatMap(CivilDate.init(iso:)).map(JapaneseDateFormat.monthDayWeekday)
        let business = try row.decode(column: "label_business", as: String?.self)
        let what = kind == .support ? "派遣の支援状況写真" : "経営相談の写真"
        let label = what + "（" + [business, date].compactMap { $0 }.joined(separator: "・") + "）"
        return (Row(id: try row.decode(column: "id", as: UUID.self), kind: kind, dispatchID: try row.decode(column: "dispatch_id", as: UUID?.self),
                    consultationID: try row.decode(column: "consultation_id", as: UUID?.self),
                    file: try row.decode(column: "file_path", as: String.self), facts: facts), label)
    }

    static func schedule(_ dispatchID: UUID, on db: Database) async throws -> PhotoChecks.Schedule? {
        guard let row = try await db.sql().raw("SELECT date, start_time, end_time FROM dispatches WHERE id = \(bind: dispatchID)").first(),
              let date = CivilDate(iso: try row.decode(column: "date", as: String.self)),
              let start = TimeOfDay(hhmm: try row.decode(column: "start_time", as: String.self)),
              let end = TimeOfDay(hhmm: try row.decode(column: "end_time", as: String.self)) else { return nil }
        return PhotoChecks.Schedule(date: date, start: start, end: end)
    }

    /// The hash's four 16-bit quarters, most significant first.
    static func quarters(_ hash: UInt64) -> [Int] {
        (0..<4).map { Int((hash >> UInt64(48 - 16 * $0)) & 0xFFFF) }
    }

    /// The 16-bit values within `bits` (0…2) of `value`: 1, 17 or 137 of them.
    static func neighbours(_ value: Int, bits: Int) -> [Int] {
        var out = [value]
        if bits >= 1 { for a in 0..<16 { out.append(value ^ (1 << a)) } }
        if bits >= 2 { for a in 0..<16 { for b in (a + 1)..<16 { out.append(value ^ (1 << a) ^ (1 << b)) } } }
        return out
    }
}
