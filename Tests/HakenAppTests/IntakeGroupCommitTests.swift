import Fluent
import Foundation
import HakenApp
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// DEC-8 under a rush: messages accepted at the same moment share commits, and every one of
/// them is answered with its own row — a message sent twice, even within one group, with the
/// first one's.
@Suite struct IntakeGroupCommitTests {
    static func raw(_ n: Int, size: Int = 300) -> [UInt8] {
        let body = String(repeating: "x", count: size)
        return Array("From: info\(n)@example.co.jp\r\nTo: senmonka-haken@localhost\r\nSubject: r\(n)\r\nMessage-ID: <g\(n)@t>\r\n\r\n\(body)\r\n".utf8)
    }

    @Test("DEC-8: concurrent messages are each stored once and answered", arguments: TestDatabase.all)
    func testDEC8_concurrentMessagesAreEachStoredOnceAndAnswered(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let intake = app.haken.intake
            // 60 sends of 40 different messages (every third is sent twice), one large enough
            // for the blob store, all at once.
            let numbers = (0..<60).map { $0 % 3 == 2 ? $0 - 1 : $0 }
            let answers = try await withThrowingTaskGroup(of: (Int, MailIntake.Accepted).self) { group in
                for number in numbers {
                    group.addTask {
                        let bytes = Self.raw(number, size: number == 0 ? MailIntake.inlineLimit + 1 : 300)
                        return (number, try await intake.accept(bytes, envelopeFrom: nil, envelopeTo: ["senmonka-haken@localhost"],
                                                                 source: "smtp", receivedAt: Date(), on: app.db))
                    }
                }
                var all: [(Int, MailIntake.Accepted)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            #expect(answers.count == 60)
            let byNumber = Dictionary(grouping: answers, by: \.0)
            #expect(byNumber.count == 40)
            for (_, sends) in byNumber {
                #expect(Set(sends.map(\.1.id)).count == 1)                    // one row per message
                #expect(sends.filter { !$0.1.duplicate }.count == 1)         // stored by exactly one send
            }
            let rows = try await InboundMailModel.query(on: app.db).all()
            #expect(rows.count == 40)
            #expect(rows.allSatisfy { $0.status == "queued" })
            let large = try #require(rows.first { $0.subject == "r0" })
            #expect(large.raw == nil && !large.rawPath.isEmpty)
            #expect(try app.haken.intake.blobs.read(large.rawPath) == Self.raw(0, size: MailIntake.inlineLimit + 1))
            let small = try #require(rows.first { $0.subject == "r1" })
            #expect(small.raw.map { [UInt8]($0) } == Self.raw(1) && small.rawPath.isEmpty)
        }
    }
}
