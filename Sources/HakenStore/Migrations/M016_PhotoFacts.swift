import Fluent
import SQLKit

/// #12: what each support and consultation photo's bytes say (`PhotoFingerprints`): EXIF time,
/// offset, GPS and camera, the SHA-256 and the perceptual hash. The hash is also kept as its four
/// 16-bit quarters, each indexed: a photo within 11 bits of another shares a quarter within 2 bits
/// (pigeonhole), so a lookup reads a few index ranges instead of every row (multi-index hashing).
struct M016_PhotoFacts: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(PhotoFingerprints.table)
            .id()
            .field("kind", .string, .required)
            .field("dispatch_id", .uuid, .references(DispatchModel.schema, "id"))
            .field("consultation_id", .uuid)
            .field("mail_id", .uuid)
            .field("file_path", .string, .required)
            .field("sha256", .string, .required)
            .field("phash", .int64)
            .field("q0", .int32)
            .field("q1", .int32)
            .field("q2", .int32)
            .field("q3", .int32)
            .field("has_exif", .bool, .required)
            .field("taken_at", .string)
            .field("taken_offset", .int32)
            .field("latitude", .double)
            .field("longitude", .double)
            .field("camera", .string)
            .field("created_at", .datetime, .required)
            .create()
        let sql = try database.sql()
        for column in ["q0", "q1", "q2", "q3", "sha256", "file_path", "dispatch_id"] {
            try await sql.raw("CREATE INDEX \(unsafeRaw: "photo_facts_\(column)") ON photo_facts (\(unsafeRaw: column))").run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(PhotoFingerprints.table).delete()
    }
}
