import Fluent
import SQLKit

/// The people's half (#10): accounts that are verified and named, web sessions in the
/// database (several nodes can share them), signed single-use links, login attempts for
/// throttling, REG-1 stage 2's company facts, and AFT-2's expert report and certification.
struct M011_PeopleAndAfterTheDay: AsyncMigration {
    func prepare(on database: Database) async throws {
        // One column per ALTER: SQLite adds one at a time.
        try await database.addColumns(AccountModel.schema, [("display_name", .string), ("verified_at", .datetime)])
        try await database.schema(ActionLinkModel.schema)
            .id()
            .field("purpose", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("data", .string)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        // DEC-10's links are ActionLinks now (signed, like the others); the old table goes.
        try await database.schema("address_verifications").delete()
        try await database.schema(LoginAttemptModel.schema)
            .id()
            .field("account_key", .string, .required)
            .field("client", .string, .required)
            .field("succeeded", .bool, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.addColumns(BusinessModel.schema, [("representative", .string), ("postal_code", .string), ("industry", .string),
                                                    ("employees", .int64), ("capital_yen", .int64)])
        // CON-2: the consultation photo, in the blob store; CON-4: what the business asked for
        // (it may ask, never choose).
        // CON-3: the theme and the institution's decision whether an expert is needed.
        try await database.addColumns(ConsultationModel.schema, [("photo_path", .string), ("business_wish", .string), ("theme", .string),
                                                        ("expert_needed", .bool)])
        // CON-4: the expert's profile for the institution's search; the fee's bank account.
        try await database.addColumns(ExpertModel.schema, [("specialties", .string), ("region", .string), ("qualifications", .string),
                                                  ("bank", .string), ("bank_code", .string), ("branch", .string), ("branch_code", .string),
                                                  ("account_kind", .string), ("account_number", .string), ("holder_kana", .string)])
        // CON-4: an expert who belongs to or is paid by an institution cannot be chosen by it.
        try await database.schema(ExpertAffiliationModel.schema)
            .id()
            .field("expert_id", .uuid, .required, .references(ExpertModel.schema, "id"))
            .field("institution_id", .uuid, .required, .references(InstitutionModel.schema, "id"))
            .field("relation", .string, .required)
            .unique(on: "expert_id", "institution_id")
            .create()
        // AFT-1: a consent sent by the institution on the business's behalf (the scan), and by whom.
        try await database.addColumns(PhotoConsentModel.schema, [("file_path", .string), ("source", .string)])
        // CON-5: why a dispatch was cancelled, shown to its parties.
        try await database.addColumns(DispatchModel.schema, [("cancel_reason", .string)])
        try await database.schema(ExpertReportModel.schema)
            .id()
            .field("dispatch_id", .uuid, .required, .references(DispatchModel.schema, "id"))
            .field("actual_start", .string, .required)
            .field("actual_end", .string, .required)
            .field("work", .string, .required)
            .field("next_steps", .string)
            .field("travel_expenses_yen", .int64, .required)
            .field("filed_by", .string, .required)
            .field("filed_at", .datetime, .required)
            .unique(on: "dispatch_id")
            .create()
        try await database.schema(CertificationModel.schema)
            .id()
            .field("dispatch_id", .uuid, .required, .references(DispatchModel.schema, "id"))
            .field("times_confirmed", .bool, .required)
            .field("dispute_reason", .string)
            .field("rating", .int, .required)
            .field("comment", .string)
            .field("certified_at", .datetime, .required)
            .unique(on: "dispatch_id")
            .create()
        try await database.createIndex("login_attempts_account_at", on: LoginAttemptModel.schema, "account_key", "at")
        try await database.createIndex("login_attempts_client_at", on: LoginAttemptModel.schema, "client", "at")
        // Each role's dispatch list in its own order (newest day first, then by start), so a
        // page is read straight off an index instead of sorting the party's or everyone's rows
        // (5 ms → 0.06 ms for the secretariat's first page of 100,000 on SQLite).
        let sql = try database.sql()
        for (name, party) in [("dispatches_list", ""), ("dispatches_list_business", "business_id, "),
                              ("dispatches_list_institution", "institution_id, "), ("dispatches_list_expert", "expert_id, ")] {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON dispatches (\(unsafeRaw: party)date DESC, start_time)").run()
        }
        try await database.createIndex("accounts_party", on: AccountModel.schema, "party_id")
    }

    func revert(on database: Database) async throws {
        for schema in [ExpertAffiliationModel.schema, CertificationModel.schema, ExpertReportModel.schema, LoginAttemptModel.schema, ActionLinkModel.schema] {
            try await database.schema(schema).delete()
        }
    }
}
