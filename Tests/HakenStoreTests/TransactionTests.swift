import Testing
@testable import HakenStore

@Suite struct TransactionTests {
    @Test func workThatNeverReturnsIsAbandonedAfterTheDeadline() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: DatabaseErrors.Stuck.self) {
            try await DatabaseErrors.withDeadline(.milliseconds(200), onTimeout: {}) { () async throws -> Int in
                // Like a query whose promise was lost: waits on nothing that will ever resume it.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
                return 1
            }
        }
        // Abandoned, not awaited forever. Not a timing test: with the whole suite running in
        // parallel on two cores the deadline's task can wait seconds for a thread.
        #expect(clock.now - start < .seconds(60))
        #expect(DatabaseErrors.isTransient(DatabaseErrors.Stuck()))
    }

    @Test func workThatFinishesGivesItsResultOrError() async throws {
        let value = try await DatabaseErrors.withDeadline(.seconds(5), onTimeout: {}) { 42 }
        #expect(value == 42)
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await DatabaseErrors.withDeadline(.seconds(5), onTimeout: {}) { () async throws -> Int in throw Boom() }
        }
    }
}
