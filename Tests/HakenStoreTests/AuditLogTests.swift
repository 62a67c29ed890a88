import Foundation
import Fluent
import HakenStore
import HakenTestSupport
import SQLKit
import Testing
@testable import HakenStore

@Suite struct AuditLogTests {
    @Test(arguments: TestDatabase.all)
    func testNOTE3_chainVerifiesAndEachEntryHoldsThePreviousHash(database: TestDatabase) async throws {
        try await database.withApp { app in
            let first = try await AuditLog.append(.init(actor: "secretariat", action: "dispatch.create", subject: "dispatch/1",
                                                        details: ["date": "2019-08-21"]), on: app.db, now: Date())
            let second = try await AuditLog.append(.init(actor: "mail", action: "evidence.accept", subject: "dispatch/1",
                                                         details: ["kind": "startReport", "note": "改行\nと\"引用\""]), on: app.db, now: Date())
            #expect(first.seq == 1)
            #expect(first.prevHash == AuditLog.genesisHash)
            #expect(second.prevHash == first.hash)
            #expect(second.hash.count == 64)
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 2))
        }
    }

    @Test(arguments: TestDatabase.all)
    func testNOTE3_concurrentWritersKeepOneUnbrokenChain(database: TestDatabase) async throws {
        try await database.withApp { app in
            let db = app.db
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await AuditLog.append(.init(actor: "worker\(index % 4)", action: "test", subject: "n/\(index)"), on: db, now: Date())
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await AuditLog.verify(on: app.db, pageSize: 5) == .intact(entries: 24))
        }
    }

    @Test(arguments: TestDatabase.all)
    func testNOTE3_databaseRefusesToRewriteTheLog(database: TestDatabase) async throws {
        try await database.withApp { app in
            try await AuditLog.append(.init(actor: "a", action: "b", subject: "c"), on: app.db, now: Date())
            let sql = app.db as! SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE audit_log SET actor = 'mallory'").run()
            }
            await #expect(throws: (any Error).self) {
                try await sql.raw("DELETE FROM audit_log").run()
            }
            #expect(try await AuditLog.verify(on: app.db) == .intact(entries: 1))
        }
    }

    @Test(arguments: TestDatabase.all)
    func testNOTE3_tamperingAroundTheTriggersIsDetected(database: TestDatabase) async throws {
        try await database.withApp { app in
            for index in 1...5 {
                try await AuditLog.append(.init(actor: "secretariat", action: "evidence.accept", subject: "dispatch/\(index)"), on: app.db, now: Date())
            }
            // Someone with database rights removes the guard and edits entry 3.
            let sql = app.db as! SQLDatabase
            for statement in AuditLogGuard.dropStatements(dialect: sql.dialect.name) {
                try await sql.raw(SQLQueryString(statement)).run()
            }
            try await sql.raw("UPDATE audit_log SET subject = 'dispatch/99' WHERE seq = 3").run()
            #expect(try await AuditLog.verify(on: app.db) == .broken(seq: 3, reason: "content does not match its hash"))

            // Deleting an entry is found too.
            try await sql.raw("DELETE FROM audit_log WHERE seq = 3").run()
            #expect(try await AuditLog.verify(on: app.db) == .broken(seq: 3, reason: "entry 3 is missing"))
        }
    }
}
