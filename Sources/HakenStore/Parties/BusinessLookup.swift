import Fluent
import Foundation
import HakenCore
import SQLKit

/// Finds a business the way a person at the secretariat names it: by its id, its registered
/// address, or its exact name (several businesses may share a name: all are returned).
public enum BusinessLookup {
    public static func matching(_ text: String, on db: Database) async throws -> [(id: UUID, name: String)] {
        let sql = try db.sql()
        let query: SQLQueryString
        if let id = UUID(uuidString: text) {
            query = "SELECT id, name FROM businesses WHERE id = \(bind: id)"
        } else {
            query = "SELECT id, name FROM businesses WHERE email_key = \(bind: text.lowercased()) OR name = \(bind: text) LIMIT 20"
        }
        return try await sql.raw(query).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self)) }
    }
}
