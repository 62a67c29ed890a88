import Fluent

/// Every migration in order. Add new ones at the end; never edit a shipped one.
public enum HakenMigrations {
    public static let all: [any Migration] = [
        M001_CreateParties(),
        M002_CreateAccounts(),
        M003_CreateDispatches(),
        M004_CreateEvidence(),
        M005_CreateAuditLog(),
        M006_CreateMail(),
        M007_InlineRawMail(),
        M008_SenderTrust(),
        M009_KeyedAuditChain(),
        M010_RegisteredAddresses(),
        M011_PeopleAndAfterTheDay(),
        // Web sessions in the database (Fluent's own table), so several nodes share them.
        SessionRecord.migration,
        M012_SecretariatDesk(),
        M013_Deadlines(),
        M014_SenderAuthentication(),
        M015_CrossChecks(),
        M016_PhotoFacts(),
        M017_ReportIndex(),
        M018_CalendarFeeds(),
    ]

    public static func register(on migrations: Migrations) {
        for migration in all { migrations.add(migration) }
    }
}
