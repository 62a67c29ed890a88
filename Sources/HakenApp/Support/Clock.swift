import Foundation
import HakenCore
import Vapor

/// The current time, behind a small seam so tests can set the day (state depends on it).
public struct HakenClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = HakenClock { Date() }

    public static func fixed(_ date: Date) -> HakenClock { HakenClock { date } }

    public var tokyoNow: LocalDateTime { TokyoClock.local(secondsSince1970: now().timeIntervalSince1970) }
    public var today: CivilDate { tokyoNow.date }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = HakenClock }

    public var hakenClock: HakenClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}
