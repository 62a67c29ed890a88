import Foundation
import Fluent
import HakenStore
import HakenTestSupport
import SQLKit
import Testing
@testable import HakenStore

@Suite struct AuditLogTests {
    static let key = AuditKey(bytes: Array(repeating: 7, count: 32))

    @Test("NOTE-3: chain verifies and each entry holds the previous hash", arguments: TestDatabase.all)
    func testNOTE3_chainVerifiesAndEachEntryHoldsThePreviousHash(database: TestDatabase) async throws {
        try await database.withApp { app in
            let first = try await AuditLog.append(.init(actor: "secretariat", action: "dispatch.create", subject: "dispatch/1",
                                                        details: ["date": "2019-08-21"]), on: app.db, key: Self.key, now: Date())
            let second = try await AuditLog.append(.init(actor: "mail", action: "evidence.accept", subject: "dispatch/1",
                                                         details: ["kind": "startReport", "note": "改行\nと\"引用\""]), on: app.db, key: Self.key, now: Date())
            #expect(first.seq == 1)
            #expect(first.prevHash == AuditLog.genesisHash)
            #expect(second.prevHash == first.hash)
            #expect(second.hash.count == 64)
            #expect(try await AuditLog.verify(on: app.db, key: Self.key) == .intact(entries: 2))
        }
    }

    @Test("NOTE-3: concurrent writers keep one unbroken chain", arguments: TestDatabase.all)
    func testNOTE3_concurrentWritersKeepOneUnbrokenChain(database: TestDatabase) async throws {
        try await database.withApp { app in
            let db = app.db
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await AuditLog.append(.init(actor: "worker\(index % 4)", action: "test", subject: "n/\(index)"), on: db, key: Self.key, now: Date())
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditLog.verify(on: app.db, key: Self.key, pageSize: 5) == .intact(entries: 24))
        }
    }

    @Test("NOTE-3: database refuses to rewrite the log", arguments: TestDatabase.all)
    func testNOTE3_databaseRefusesToRewriteTheLog(database: TestDatabase) async throws {
        try await database.withApp { app in
            try await AuditLog.append(.init(actor: "a", action: "b", subject: "c"), on: app.db, key: Self.key, now: Date())
            let sql = app.db as! SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_log SET actor = 'mallory'").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_log").run()
            }
            #expect(try await AuditLog.verify(on: app.db, key: Self.key) == .intact(entries: 1))
        }
    }

    @Test("NOTE-3: tampering around the triggers is detected", arguments: TestDatabase.all)
    func testNOTE3_tamperingAroundTheTriggersIsDetected(database: TestDatabase) async throws {
        try await database.withApp { app in
            for index in 1...5 {
                try await AuditLog.append(.init(actor: "secretariat", action: "evidence.accept", subject: "dispatch/\(index)"), on: app.db, key: Self.key, now: Date())
            }
            // Someone with database rights removes the guard and edits entry 3.
            let sql = app.db as! SQLDatabase
            for statement in AuditLogGuard.dropStatements(dialect: sql.dialect.name) {
                try await sql.raw(SQLQueryString(statement)).run()
            }
            try await sql.raw("UPDATE audit_log SET subject = 'dispatch/99' WHERE seq = 3").run()
            #expect(try await AuditLog.verify(on: app.db, key: Self.key) == .broken(seq: 3, reason: "content does not match its hash"))

            // Deleting an entry is found too.
            try await sql.raw("DELETE FROM audit_log WHERE seq = 3").run()
            #expect(try await AuditLog.verify(on: app.db, key: Self.key) == .broken(seq: 3, reason: "entry 3 is missing"))
        }
    }

    static func anchorFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("anchors-\(UUID().uuidString).log")
    }

    static func dropGuard(_ sql: any SQLDatabase) async throws {
        for statement in AuditLogGuard.dropStatements(dialect: sql.dialect.name) { try await sql.raw(SQLQueryString(statement)).run() }
    }

    /// The three rewrites that the unkeyed chain missed: (a) triggers dropped and the
    /// newest entries deleted, (b) every entry deleted, (c) entries changed and the SHA-256
    /// chain recomputed. Someone holding the database but not the key is seen each time.
    @Test("NOTE-3: rewrites without the key are detected", arguments: TestDatabase.all)
    func testNOTE3_rewritesWithoutTheKeyAreDetected(database: TestDatabase) async throws {
        try await database.withApp { app in
            let sql = try app.db.sql()
            let anchors = Self.anchorFile()
            for index in 1...6 {
                try await AuditLog.append(.init(actor: "mail", action: "evidence.record", subject: "dispatch/\(index)"), on: app.db, key: Self.key, now: Date())
            }
            let anchor = try #require(try await AuditAnchors.anchorHead(on: app.db, key: Self.key, file: anchors, now: Date()))
            #expect(anchor.seq == 6 && anchor.isSigned(by: Self.key))
            #expect(AuditAnchor(line: anchor.line) == anchor)
            var inspection = try await AuditInspection.run(on: app.db, key: Self.key, anchorFile: anchors)
            #expect(inspection.intact && inspection.entries == 6)

            // (a) the triggers dropped, the two newest entries deleted.
            try await Self.dropGuard(sql)
            try await sql.raw("DELETE FROM audit_log WHERE seq > 4").run()
            #expect(try await AuditLog.verify(on: app.db, key: Self.key) == .intact(entries: 4))   // the chain alone cannot tell
            inspection = try await AuditInspection.run(on: app.db, key: Self.key, anchorFile: anchors)
            #expect(inspection.problems.contains { $0.contains("triggers of audit_log are missing") })
            #expect(inspection.problems.contains { $0.contains("entries 5…6 were removed") })

            // (c) entry 2 changed and both the SHA-256 chain and the MACs recomputed with another key.
            let forged = AuditKey(bytes: Array(repeating: 9, count: 32))
            try await sql.raw("DELETE FROM audit_log WHERE seq >= 2").run()
            try await AuditLog.append(.init(actor: "mallory", action: "evidence.record", subject: "dispatch/2"), on: app.db, key: forged, now: Date())
            #expect(try await AuditLog.verify(on: app.db, key: Self.key)
                    == .broken(seq: 2, reason: "its MAC does not match: changed by someone without the audit key, or the key file is not the one the log was written with"))
            // … or written without any MAC after keyed entries.
            try await sql.raw("DELETE FROM audit_log WHERE seq >= 2").run()
            let last = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$seq == 1).first())
            let fields = AuditLog.hashedText(seq: 2, at: "2026-01-01T00:00:00.000+09:00", actor: "mallory", action: "x", subject: "y", details: "{}")
            try await sql.raw("""
                INSERT INTO audit_log (id, seq, at, actor, action, subject, details, prev_hash, hash)
                VALUES (\(bind: UUID()), 2, '2026-01-01T00:00:00.000+09:00', 'mallory', 'x', 'y', '{}', \(bind: last.hash),
                        \(bind: AuditLog.hash(prevHash: last.hash, fields: fields)))
                """).run()
            #expect(try await AuditLog.verify(on: app.db, key: Self.key)
                    == .broken(seq: 2, reason: "it has no MAC although the entries before it have: written by someone without the audit key"))

            // (b) every entry deleted.
            try await sql.raw("DELETE FROM audit_log").run()
            inspection = try await AuditInspection.run(on: app.db, key: Self.key, anchorFile: anchors)
            #expect(inspection.problems.contains { $0.contains("every entry was removed") })

            // The guard comes back, and says so when asked.
            #expect(try await AuditLogGuard.ensure(on: app.db))
            #expect(try await AuditLogGuard.present(on: app.db))
            #expect(try await !AuditLogGuard.ensure(on: app.db))
            try? FileManager.default.removeItem(at: anchors)
        }
    }

    @Test("NOTE-3: the key file is created once outside the database and never replaced") func testNOTE3_theKeyFileIsCreatedOnceOutsideTheDatabaseAndNeverReplaced() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haken-\(UUID().uuidString)/var", isDirectory: true)
        let files = AuditKeyFiles.beside(dataDirectory: folder)
        #expect(files.keyFile.path.hasSuffix("/var-keys/audit.key"))
        let key = try files.loadOrCreate(logIsKeyed: false)
        let again = try files.loadOrCreate(logIsKeyed: true)
        #expect(key.hex == again.hex)
        let mode = try FileManager.default.attributesOfItem(atPath: files.keyFile.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        try FileManager.default.removeItem(at: files.keyFile)
        #expect(throws: AuditKeyFiles.Problem.self) { try files.loadOrCreate(logIsKeyed: true) }   // a lost key is not replaced silently
        try FileManager.default.removeItem(at: folder.deletingLastPathComponent())
    }
}
