import Fluent
import SQLKit

extension Database {
    /// Fluent's schema builder has no plain indexes; both our databases speak SQL.
    func createIndex(_ name: String, on table: String, _ columns: String...) async throws {
        guard let sql = self as? SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }

    /// Adds nullable columns one ALTER at a time (SQLite adds one at a time).
    func addColumns(_ table: String, _ columns: [(String, DatabaseSchema.DataType)]) async throws {
        for (name, type) in columns {
            try await schema(table).field(.definition(name: .key(FieldKey(stringLiteral: name)), dataType: type, constraints: [])).update()
        }
    }
}
