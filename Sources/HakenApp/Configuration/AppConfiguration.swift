import Foundation
import HakenCore
import HakenStore

/// Everything HakenDesk reads from its environment, in one place so `serve`, `migrate`
/// and the tests agree on the names.
public struct AppConfiguration: Sendable {
    public var store: StoreConfiguration
    /// `HAKEN_HTTP_HOST`, default 127.0.0.1.
    public var httpHost: String
    /// `HAKEN_HTTP_PORT`, default 8080.
    public var httpPort: Int
    /// `HAKEN_ADMIN_TOKEN`: a bearer token with the secretariat's rights (nil: none).
    public var adminToken: String?
    /// `HAKEN_LOG_FORMAT=json` for one JSON object per log line.
    public var jsonLogs: Bool
    public var mail: MailSettings
    /// `HAKEN_PROGRAMME_FIRST_YEAR` / `HAKEN_PROGRAMME_LAST_YEAR`: the programme's fiscal years
    /// (DEC-13; default 2019年度 to the one after today's).
    public var programmeFirstYear: Int?
    public var programmeLastYear: Int?

    /// DEC-13: the fiscal years a dispatch or consultation may be dated in, as of `today`.
    public func programme(today: CivilDate) -> ProgrammePeriod {
        ProgrammePeriod.standard(today: today, firstYear: programmeFirstYear, lastYear: programmeLastYear)
    }

    /// `HAKEN_METRICS_TOKEN`: a bearer token for the Prometheus scraper (besides the secretariat's).
    public var metricsToken: String?

    /// `HAKEN_PUBLIC_URL`: where people reach this server (links in mail); default `http://HOST:PORT`.
    public var publicURL: String = ""

    public init(store: StoreConfiguration, httpHost: String = "127.0.0.1", httpPort: Int = 8080,
                adminToken: String? = nil, jsonLogs: Bool = false, mail: MailSettings = MailSettings()) {
        self.store = store
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.adminToken = adminToken
        self.jsonLogs = jsonLogs
        self.mail = mail
        self.auditKeyFiles = AuditKeyFiles.beside(dataDirectory: store.dataDirectory)
    }

    /// `HAKEN_AUDIT_KEY_FILE` / `HAKEN_AUDIT_ANCHOR_FILE`: the audit log's key and its anchors,
    /// outside the database (default: the folder `<data folder>-keys` beside the data folder).
    public var auditKeyFiles: AuditKeyFiles

    public enum Problem: Error, CustomStringConvertible {
        case invalidPort(String, String)
        case invalidNumber(String, String)
        case weakAdminToken
        case invalidURL(String, String)
        /// A setting that takes one of a few words, or a value of a given form.
        case invalidValue(String, String, expected: String)

        public var description: String {
            switch self {
            case .invalidPort(let name, let value): return "\(name)=\(value) is not a port number (1–65535)"
            case .invalidNumber(let name, let value): return "\(name)=\(value) is not a number in the allowed range"
            case .weakAdminToken: return "HAKEN_ADMIN_TOKEN must be at least 16 characters long"
            case .invalidURL(let name, let value): return "\(name)=\(value) must start with http:// or https://"
            case .invalidValue(let name, let value, let expected): return "\(name)=\(value) is not \(expected)"
            }
        }
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func port(_ name: String, default fallback: Int) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), (1...65535).contains(number) else { throw Problem.invalidPort(name, text) }
            return number
        }
        let token = value("HAKEN_ADMIN_TOKEN")
        if let token, token.count < 16 { throw Problem.weakAdminToken }
        let host = value("HAKEN_HTTP_HOST") ?? "127.0.0.1"
        var configuration = AppConfiguration(
            store: .fromEnvironment(environment),
            httpHost: host,
            httpPort: try port("HAKEN_HTTP_PORT", default: 8080),
            adminToken: token,
            jsonLogs: value("HAKEN_LOG_FORMAT") == "json",
            mail: try MailSettings.fromEnvironment(environment, httpHost: host)
        )
        func year(_ name: String) throws -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), (2000...2100).contains(number) else { throw Problem.invalidNumber(name, text) }
            return number
        }
        configuration.programmeFirstYear = try year("HAKEN_PROGRAMME_FIRST_YEAR")
        configuration.programmeLastYear = try year("HAKEN_PROGRAMME_LAST_YEAR")
        if let first = configuration.programmeFirstYear, let last = configuration.programmeLastYear, last < first {
            throw Problem.invalidNumber("HAKEN_PROGRAMME_LAST_YEAR (not before HAKEN_PROGRAMME_FIRST_YEAR)", String(last))
        }
        if let metrics = value("HAKEN_METRICS_TOKEN") {
            guard metrics.count >= 16 else { throw Problem.invalidNumber("HAKEN_METRICS_TOKEN (at least 16 characters)", "…") }
            configuration.metricsToken = metrics
        }
        if let keyFile = value("HAKEN_AUDIT_KEY_FILE") {
            configuration.auditKeyFiles.keyFile = URL(fileURLWithPath: keyFile).standardizedFileURL
        }
        if let anchorFile = value("HAKEN_AUDIT_ANCHOR_FILE") {
            configuration.auditKeyFiles.anchorFile = URL(fileURLWithPath: anchorFile).standardizedFileURL
        }
        if let text = value("HAKEN_BCRYPT_COST") {
            guard let cost = Int(text), (10...15).contains(cost) else { throw Problem.invalidNumber("HAKEN_BCRYPT_COST (10–15)", text) }
            configuration.bcryptCost = cost
        }
        for (name, path) in [("HAKEN_DEADLINE_PHOTO_DAYS", \DeadlineSettings.photoDays),
                             ("HAKEN_DEADLINE_CERTIFICATION_DAYS", \DeadlineSettings.certificationDays),
                             ("HAKEN_DEADLINE_DECLARATION_DAYS", \DeadlineSettings.declarationDays),
                             ("HAKEN_REMIND_BEFORE_DAYS", \DeadlineSettings.remindBefore)] {
            guard let text = value(name) else { continue }
            guard let days = Int(text), DeadlineSettings.range.contains(days) else {
                throw Problem.invalidNumber("\(name) (\(DeadlineSettings.range.lowerBound)–\(DeadlineSettings.range.upperBound))", text)
            }
            configuration.deadlines[keyPath: path] = days
        }
        if let text = value("HAKEN_SCHEDULER_INTERVAL_SECONDS") {
            guard let seconds = Int(text), (0...3600).contains(seconds) else { throw Problem.invalidNumber("HAKEN_SCHEDULER_INTERVAL_SECONDS (0–3600)", text) }
            configuration.schedulerInterval = seconds
        }
        if let text = value("HAKEN_TIME_GAP_MINUTES") {
            guard let minutes = Int(text), (0...600).contains(minutes) else { throw Problem.invalidNumber("HAKEN_TIME_GAP_MINUTES (0–600)", text) }
            configuration.timeGapMinutes = minutes
        }
        if let text = value("HAKEN_PHOTO_TIME_MINUTES") {
            let range = PhotoChecks.windowMinutesRange
            guard let minutes = Int(text), range.contains(minutes) else {
                throw Problem.invalidNumber("HAKEN_PHOTO_TIME_MINUTES (\(range.lowerBound)–\(range.upperBound))", text)
            }
            configuration.photoChecks.windowMinutes = minutes
        }
        if let text = value("HAKEN_PHOTO_HASH_DISTANCE") {
            let range = PhotoChecks.hashDistanceRange
            guard let distance = Int(text), range.contains(distance) else {
                throw Problem.invalidNumber("HAKEN_PHOTO_HASH_DISTANCE (\(range.lowerBound)–\(range.upperBound))", text)
            }
            configuration.photoChecks.hashDistance = distance
        }
        if let url = value("HAKEN_PUBLIC_URL") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw Problem.invalidURL("HAKEN_PUBLIC_URL", url) }
            configuration.publicURL = String(url.reversed().drop { $0 == "/" }.reversed())
        }
        return configuration
    }

    /// Cookies are `Secure` and X-Forwarded-For is read when people reach us over https
    /// (HAKEN_PUBLIC_URL): then a TLS-terminating proxy stands in front of us.
    public var behindProxy: Bool { publicURL.hasPrefix("https://") }

    /// Bcrypt's cost for passwords (`HAKEN_BCRYPT_COST`, 10…15, default 12; tests lower it to 4).
    public var bcryptCost: Int = 12

    /// NOTE-1: the duties' deadlines in business days (`HAKEN_DEADLINE_*_DAYS`, `HAKEN_REMIND_BEFORE_DAYS`).
    public var deadlines = DeadlineSettings()

    /// #12, DEC-2: the largest gap between the expert's and the mailed times that is not a
    /// discrepancy, in minutes (`HAKEN_TIME_GAP_MINUTES`).
    public var timeGapMinutes: Int = CrossCheck.defaultToleranceMinutes

    /// #12: how far from the support's hours a photo may be taken (`HAKEN_PHOTO_TIME_MINUTES`) and
    /// how close two photos' hashes are to count as one picture (`HAKEN_PHOTO_HASH_DISTANCE`).
    public var photoChecks = PhotoFingerprints.Settings()

    /// How often the deadline scheduler runs, in seconds (`HAKEN_SCHEDULER_INTERVAL_SECONDS`; 0 turns it off on this node).
    public var schedulerInterval: Int = 60

    /// The base of links in mail.
    public var linkBase: String { publicURL.isEmpty ? "http://\(httpHost):\(httpPort)" : publicURL }
}
