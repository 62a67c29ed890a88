import Fluent
import Foundation
import HakenCore
import HakenStore
import Vapor

/// Web sessions: stored in the database (Fluent's sessions table), so several nodes can
/// share them; the cookie is HttpOnly, SameSite=Lax, and Secure whenever people reach us
/// over https (HAKEN_PUBLIC_URL, which a TLS-terminating proxy's address is).
enum WebSession {
    static let cookieName = "hakendesk_session"
    static let accountKey = "account"
    static let csrfKey = "csrf"
    static let flashKey = "flash"

    static func configure(_ app: Application, secure: Bool) {
        let driver = WrittenWhenChanged(base: app.fluent.sessions.driver())
        app.sessions.use { _ in driver }
        app.sessions.configuration = SessionsConfiguration(cookieName: cookieName) { id in
            HTTPCookies.Value(string: id.string, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
    }
}

/// Vapor writes a session back after every request that carried its cookie; a page view that
/// changed nothing in it would be a database write (on SQLite, one writer at a time). This
/// driver remembers what it read and skips the update when the data is the same.
struct WrittenWhenChanged: AsyncSessionDriver {
    let base: any SessionDriver

    struct ReadKey: StorageKey { typealias Value = [String: String] }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        try await base.createSession(data, for: request).get()
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        let data = try await base.readSession(sessionID, for: request).get()
        request.storage[ReadKey.self] = data?.snapshot
        return data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if let read = request.storage[ReadKey.self], read == data.snapshot { return sessionID }
        return try await base.updateSession(sessionID, to: data, for: request).get()
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await base.deleteSession(sessionID, for: request).get()
    }
}

extension Request {
    /// Starts a signed-in session for this account under a new session id (a session id
    /// planted before the login is worth nothing after it); the old record is deleted.
    func logIn(_ account: AccountModel) async throws {
        if let old = session.id { try await application.sessions.driver.deleteSession(old, for: self).get() }
        session.id = nil
        session.data[WebSession.accountKey] = try account.requireID().uuidString
        session.data[WebSession.csrfKey] = SecretToken.generate()
    }

    func logOut() {
        if hasSession { session.destroy() }
    }

    /// The signed-in account (nil for API tokens and strangers).
    var account: AccountModel? { storage[SignedInAccountKey.self] }

    /// A message shown once on the next page.
    func flash(_ message: String) { session.data[WebSession.flashKey] = message }

    func takeFlash() -> String? {
        guard hasSession, let message = session.data[WebSession.flashKey] else { return nil }
        session.data[WebSession.flashKey] = nil
        return message
    }
}

struct SignedInAccountKey: StorageKey { typealias Value = AccountModel }

/// Resolves a session to the same `Principal` an API token resolves to, so the permission
/// policy cannot tell them apart. Only verified accounts sign in.
struct SessionPrincipalMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.auth.has(Principal.self), request.hasSession,
           let id = request.session.data[WebSession.accountKey].flatMap(UUID.init(uuidString:)) {
            if let account = try await AccountModel.find(id, on: request.db), account.verifiedAt != nil, let role = account.accountRole {
                request.storage[SignedInAccountKey.self] = account
                request.auth.login(Principal(role: role, partyID: account.partyID, actor: Accounts.actor(account), accountID: id))
            } else {
                request.session.data[WebSession.accountKey] = nil
            }
        }
        return try await next.respond(to: request)
    }
}

/// A CSRF token per session, on every form that changes something (a hidden `_csrf` field)
/// and for script calls in the `X-CSRF-Token` header. Requests that carry an API token are
/// not a browser's ambient credential and need none.
struct CSRFMiddleware: AsyncMiddleware {
    /// Forms with a photo or a scan are the largest web bodies.
    static let maxFormBody = 12 * 1024 * 1024

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method), request.headers.bearerAuthorization == nil else {
            return try await next.respond(to: request)
        }
        // A method no route answers changes nothing: it gets its 404 or 405 (with Allow).
        guard request.application.haken.routeTable.methods(for: request.url.path.split(separator: "/"))?
            .contains(request.method.rawValue) == true else {
            return try await next.respond(to: request)
        }
        // The API answers a missing token with 401; only cookie-carrying calls need the header.
        if request.url.path.hasPrefix("/api/") && request.headers.cookie?[WebSession.cookieName] == nil {
            return try await next.respond(to: request)
        }
        var sent = request.headers.first(name: "X-CSRF-Token")
        if sent == nil, let type = request.headers.contentType, type == .urlEncodedForm || type.type == "multipart" {
            // Only an upload form may be large; a plain form stays within the routes' 1 MB.
            _ = try await request.body.collect(max: type.type == "multipart" ? Self.maxFormBody : 1024 * 1024).get()
            sent = try? request.content.get(String.self, at: "_csrf")
        }
        guard request.hasSession, let expected = request.session.data[WebSession.csrfKey], let sent, constantTimeEqual(sent, expected) else {
            throw WebError.csrf
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// This session's CSRF token (made on first use).
    func csrfToken() -> String {
        if let token = session.data[WebSession.csrfKey] { return token }
        let token = SecretToken.generate()
        session.data[WebSession.csrfKey] = token
        return token
    }

    /// The client address for login throttling: the peer, or the proxy's X-Forwarded-For
    /// when HAKEN_PUBLIC_URL says we are behind one (https).
    var clientAddress: String {
        if application.haken.configuration.behindProxy, let forwarded = headers.first(name: .xForwardedFor)?
            .split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !forwarded.isEmpty {
            return String(forwarded.prefix(64))
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
