import Fluent
import Foundation
import HakenStore
import Leaf
import LeafKit
import Vapor

/// Sets up one HakenDesk application: database (migrated on start), middleware, views, routes.
/// `restoringAuditGuard: false` leaves dropped audit triggers as found (`audit verify` must
/// report what it finds, not repair it first).
public func configure(_ app: Application, _ configuration: AppConfiguration, restoringAuditGuard: Bool = true) async throws {
    HakenMetrics.bootstrapOnce()
    app.http.server.configuration.hostname = configuration.httpHost
    app.http.server.configuration.port = configuration.httpPort
    app.http.server.configuration.serverName = "HakenDesk"
    // JSON bodies of the API are small; raw mail and uploads get their own limits.
    app.routes.defaultMaxBodySize = "1mb"

    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware())
    // Sessions outside the error handler, so an error page's session changes are kept too.
    WebSession.configure(app, secure: configuration.behindProxy)
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(JSONErrorMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())
    // Tokens and sessions resolve to the same principal on every route (pages and API alike).
    app.middleware.use(BearerTokenAuthenticator(adminToken: configuration.adminToken))
    app.middleware.use(SessionPrincipalMiddleware())
    app.middleware.use(CSRFMiddleware())
    app.passwords.use(.bcrypt(cost: configuration.bcryptCost))

    try configuration.store.register(on: app.databases)
    try await configuration.store.prepare(app.db)
    HakenMigrations.register(on: app.migrations)
    try await app.autoMigrate()
    // NOTE-3: the key outside the database; the append-only triggers put back if someone
    // dropped them (and that noted in the log itself).
    let auditKey = try configuration.auditKeyFiles.loadOrCreate(logIsKeyed: try await AuditLog.isKeyed(on: app.db))
    if restoringAuditGuard, try await AuditLogGuard.ensure(on: app.db) {
        app.logger.warning("the audit log's append-only triggers were missing and have been restored")
        try await AuditLog.append(.init(actor: "system", action: "audit.guard.restore", subject: "audit_log/-",
                                        details: ["note": "append-only triggers were missing at start and were restored"]),
                                  on: app.db, key: auditKey, now: app.hakenClock.now())
    }

    app.views.use(.leaf)
    let views = viewsDirectory()
    app.leaf.configuration = LeafConfiguration(rootDirectory: views)
    // The resources live under `.build/` in a development checkout; Leaf's default limits
    // refuse any path with a dot-folder in it, so keep only the sandbox and extension checks.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                  sandboxDirectory: views, viewDirectory: views))
    app.leaf.cache.isEnabled = app.environment.isRelease

    // Blob writes wait on fsync, not on the CPU: many at once let the filesystem commit
    // them together (see MailIntake).
    let writers = NIOThreadPool(numberOfThreads: 32)
    writers.start()
    app.lifecycle.use(ThreadPoolShutdown(pool: writers))
    app.haken = HakenServices(
        configuration: configuration,
        intake: MailIntake(blobs: BlobStore(root: configuration.store.blobDirectory), signal: MailSignal(), writers: writers),
        auditKey: auditKey,
        senderCheck: SenderCheck(settings: configuration.mail, group: app.eventLoopGroup)
    )
    try routes(app, configuration: configuration)
}

/// Stops a thread pool the application started, when the application shuts down.
struct ThreadPoolShutdown: LifecycleHandler {
    let pool: NIOThreadPool

    func shutdownAsync(_ application: Application) async {
        try? await pool.shutdownGracefully()
    }
}

/// The Leaf templates ship as resources of this module.
func viewsDirectory() -> String {
    let url = Bundle.module.resourceURL ?? Bundle.module.bundleURL
    return url.appendingPathComponent("Views", isDirectory: true).path + "/"
}

/// Headers every answer carries (pages, API, errors): no sniffing, no framing, no referrer
/// leaks of signed links, and a Content-Security-Policy that allows no script and no style
/// but our own files (/assets/): nothing inline anywhere.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let headers: [(String, String)] = [
        ("Content-Security-Policy",
         "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        for (name, value) in Self.headers { response.headers.replaceOrAdd(name: name, value: value) }
        if !request.url.path.hasPrefix("/assets/") && response.headers[.cacheControl].isEmpty {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
