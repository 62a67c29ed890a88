import Foundation

/// Login throttling, per account and per client address: a password cannot be guessed by
/// trying many against one account, nor one against many accounts from one address. Failures
/// count for an address whether or not an account has it, so the answer reveals nothing.
public enum LoginThrottle {
    /// Failures older than this no longer count.
    public static let window: TimeInterval = 15 * 60
    public static let failuresPerAccount = 5
    public static let failuresPerClient = 20

    public enum Verdict: Equatable, Sendable {
        case allowed
        /// Refused without checking the password until this moment.
        case wait(until: Date)
    }

    /// `accountFailures` and `clientFailures` are the times of recent failed attempts.
    public static func verdict(accountFailures: [Date], clientFailures: [Date], now: Date) -> Verdict {
        let limits = [(accountFailures, failuresPerAccount), (clientFailures, failuresPerClient)]
        var until: Date?
        for (failures, limit) in limits {
            let recent = failures.filter { $0 > now.addingTimeInterval(-window) && $0 <= now }.sorted()
            guard recent.count >= limit else { continue }
            // Free again once the oldest of the last `limit` failures leaves the window.
            let release = recent[recent.count - limit].addingTimeInterval(window)
            until = max(until ?? release, release)
        }
        return until.map { .wait(until: $0) } ?? .allowed
    }

    /// `しばらく時間をおいて…` with the minutes, for the login page.
    public static func message(_ until: Date, now: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return "ログインの失敗が続いたため、一時的にログインを止めています。\(minutes)分ほどおいてから、もう一度お試しください。パスワードをお忘れの場合は再設定できます。"
    }
}
