import Foundation
import NIOConcurrencyHelpers

/// Wakes the processing job when a message arrives. A flag checked every few milliseconds:
/// simpler to get right than continuations, and the job only waits when it has no work.
public final class MailSignal: Sendable {
    private let pending = NIOLockedValueBox(false)

    public init() {}

    public func notify() { pending.withLockedValue { $0 = true } }

    /// Returns when notified (or already notified since the last wait), or after `timeout`.
    public func wait(timeout: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline && !Task.isCancelled {
            let notified = pending.withLockedValue { value -> Bool in
                defer { value = false }
                return value
            }
            if notified { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
