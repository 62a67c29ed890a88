import HakenStore
import Vapor

/// The application's long-lived parts, set up once by `configure`.
public struct HakenServices: Sendable {
    public var configuration: AppConfiguration
    public var intake: MailIntake
    /// NOTE-3: the key of the audit chain, read from its file at start.
    public var auditKey: AuditKey
    /// #12: the sender checks mail processing runs (nil: none configured).
    var senderCheck: SenderCheck?
    /// Every path's methods (405 answers).
    var routeTable = RouteTable()
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = HakenServices }

    public var haken: HakenServices {
        get {
            guard let services = storage[ServicesKey.self] else { fatalError("configure(_:_:) has not run") }
            return services
        }
        set { storage[ServicesKey.self] = newValue }
    }
}
