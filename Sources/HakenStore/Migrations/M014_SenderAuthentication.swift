import Fluent

/// #12, who really sent a mail: the SMTP client's address and HELO name kept at intake (SPF
/// is checked against them in processing), and the outcome of the sender checks on the mail's
/// row (`sender_auth_verdict`: pass, fail or unverified; `sender_auth`: the reason and the
/// results, for people).
struct M014_SenderAuthentication: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.addColumns(InboundMailModel.schema, [("client_address", .string), ("helo", .string),
                                                                ("sender_auth", .string), ("sender_auth_verdict", .string)])
    }

    func revert(on database: Database) async throws {
        for column in ["client_address", "helo", "sender_auth", "sender_auth_verdict"] {
            try await database.schema(InboundMailModel.schema).deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
