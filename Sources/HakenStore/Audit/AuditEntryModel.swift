import Fluent
import Foundation

/// One line of the audit log (NOTE-3): who did what to which record, chained by SHA-256.
public final class AuditEntryModel: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    /// 1, 2, 3 … without gaps; unique, so two writers cannot both extend the same link.
    @Field(key: "seq") public var seq: Int64
    /// ISO 8601 with milliseconds, kept as text so the hashed bytes read back unchanged.
    @Field(key: "at") public var at: String
    @Field(key: "actor") public var actor: String
    @Field(key: "action") public var action: String
    @Field(key: "subject") public var subject: String
    /// JSON object with sorted keys.
    @Field(key: "details") public var details: String
    @Field(key: "prev_hash") public var prevHash: String
    @Field(key: "hash") public var hash: String
    /// HMAC-SHA256 with the audit key over the previous MAC and the fields; nil on entries
    /// written before the key existed (migration M009).
    @OptionalField(key: "mac") public var mac: String?

    public init() {}
}
