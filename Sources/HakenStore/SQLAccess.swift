import Fluent
import SQLKit

extension Database {
    /// The same database as SQLKit sees it, for the statements Fluent's query builder cannot
    /// say (multi-row writes, CASE updates, joins into plain rows). Both of HakenDesk's
    /// databases are SQL databases; anything else is a programming error, reported as one.
    public func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw NotSQL(database: String(describing: type(of: self))) }
        return sql
    }
}

public struct NotSQL: Error, CustomStringConvertible {
    var database: String
    public var description: String { "\(database) does not speak SQL" }
}
