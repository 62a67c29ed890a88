import Fluent
import Foundation
import HakenCore
import SQLKit

/// REG-2, DAY-3, DEC-6: mail is attributed by its sender's address, so an address belongs to
/// one party only — a business (registered or mobile), an expert or an institution. One table
/// with a unique index holds every registered address, so two registrations racing for the
/// same address cannot both succeed.
public enum AddressRegistry {
    /// An address that is already registered to a party.
    public struct Taken: Error, Equatable {
        /// The input field that carried it (`email`, `mobileEmail`).
        public var field: String
        public var address: String
    }

    /// Claims `addresses` for a party, inside the caller's transaction.
    public static func claim(_ addresses: [(address: EmailAddress, field: String)], partyKind: String, partyID: UUID,
                             on db: Database) async throws {
        guard !addresses.isEmpty else { return }
        let sql = try db.sql()
        let keys = addresses.map(\.address.matchKey)
        let taken = try await sql.raw("SELECT address_key FROM registered_addresses WHERE address_key IN (\(binds: keys))").all()
            .map { try $0.decode(column: "address_key", as: String.self) }
        if let first = addresses.first(where: { taken.contains($0.address.matchKey) }) {
            throw Taken(field: first.field, address: first.address.address)
        }
        do {
            let insert = sql.insert(into: "registered_addresses").columns("address_key", "party_kind", "party_id", "field")
            for (address, field) in addresses {
                insert.values(SQLBind(address.matchKey), SQLBind(partyKind), SQLBind(partyID), SQLBind(field))
            }
            try await insert.run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Registered by someone else between the look and the insert.
            throw Taken(field: addresses[0].field, address: addresses[0].address.address)
        }
    }
}

extension AddressRegistry {
    /// Gives up an address a party held (a business changing its mobile address), inside the
    /// caller's transaction.
    public static func release(_ address: EmailAddress, partyID: UUID, on db: Database) async throws {
        try await db.sql().delete(from: "registered_addresses")
            .where("address_key", .equal, SQLBind(address.matchKey)).where("party_id", .equal, SQLBind(partyID))
            .run()
    }
}
