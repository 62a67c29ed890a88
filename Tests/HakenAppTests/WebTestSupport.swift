import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import Testing
import Vapor
import VaporTesting

/// A page as a browser got it.
struct WebPage {
    var status: HTTPStatus
    var html: String
    var headers: HTTPHeaders
    /// The body as sent (a PDF is not text).
    var bytes: [UInt8] = []
    var location: String? { headers.first(name: .location) }

    /// The first form's CSRF token.
    var csrf: String? { Self.first(in: html, after: #"name="_csrf" value=""#, until: "\"") }

    /// Error messages shown beside fields, by field id.
    var fieldErrors: [String: String] {
        var found: [String: String] = [:]
        var rest = html[...]
        while let range = rest.range(of: #"<p class="field-error" id=""#) {
            rest = rest[range.upperBound...]
            guard let idEnd = rest.range(of: "-error\">"), let close = rest.range(of: "</p>") else { break }
            found[String(rest[..<idEnd.lowerBound])] = String(rest[idEnd.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func first(in text: String, after prefix: String, until end: String) -> String? {
        guard let start = text.range(of: prefix), let stop = text[start.upperBound...].range(of: end) else { return nil }
        return String(text[start.upperBound..<stop.lowerBound])
    }
}

/// A browser in a test: keeps its session cookie and sends the CSRF token the last page gave.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookie: String?
    var csrf: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String, accept: String = "text/html") async throws -> WebPage {
        let page = try await send(.GET, path, body: nil, contentType: nil, accept: accept)
        if let token = page.csrf { csrf = token }
        return page
    }

    /// Posts a form; `withCSRF: false` leaves the token out (a forged request).
    @discardableResult
    func post(_ path: String, _ form: [String: String], withCSRF: Bool = true) async throws -> WebPage {
        try await post(path, pairs: form.map { ($0.key, $0.value) }, withCSRF: withCSRF)
    }

    /// A form whose fields may repeat (checkboxes: `confirmed[]`), in order.
    @discardableResult
    func post(_ path: String, pairs: [(String, String)], withCSRF: Bool = true) async throws -> WebPage {
        var fields = pairs
        if withCSRF, let csrf { fields.append(("_csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let page = try await send(.POST, path, body: ByteBuffer(string: body), contentType: .urlEncodedForm, accept: "text/html")
        if let token = page.csrf { csrf = token }
        return page
    }

    @discardableResult
    func postMultipart(_ path: String, _ fields: [String: String], file: (name: String, filename: String, bytes: [UInt8])) async throws -> WebPage {
        let boundary = "haken-test-boundary"
        var body = ByteBuffer()
        var all = fields
        if let csrf { all["_csrf"] = csrf }
        for (name, value) in all {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        let page = try await send(.POST, path, body: body, contentType: HTTPMediaType(type: "multipart", subType: "form-data", parameters: ["boundary": boundary]),
                                  accept: "text/html")
        if let token = page.csrf { csrf = token }
        return page
    }

    func send(_ method: HTTPMethod, _ path: String, body: ByteBuffer?, contentType: HTTPMediaType?, accept: String,
              headers extra: [String: String] = [:]) async throws -> WebPage {
        let response = try await app.testing().sendRequest(method, path) { request in
            if let cookie { request.headers.replaceOrAdd(name: .cookie, value: "hakendesk_session=\(cookie)") }
            request.headers.replaceOrAdd(name: .accept, value: accept)
            if let contentType { request.headers.contentType = contentType }
            for (name, value) in extra { request.headers.replaceOrAdd(name: name, value: value) }
            if let body { request.body = body }
        }
        for value in response.headers[.setCookie] {
            guard value.hasPrefix("hakendesk_session=") else { continue }
            let token = value.dropFirst("hakendesk_session=".count).prefix { $0 != ";" }
            cookie = token.isEmpty ? nil : String(token)
        }
        return WebPage(status: response.status, html: String(buffer: response.body), headers: response.headers,
                       bytes: Array(response.body.readableBytesView))
    }

    /// Signs in through the login page.
    @discardableResult
    func signIn(_ email: String, password: String = WebFixtures.password) async throws -> WebPage {
        try await get("/login")
        return try await post("/login", ["email": email, "password": password, "next": "/dispatches"])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

enum WebFixtures {
    static let password = "correct-horse-battery"

    /// A verified account for a role and party, as an invitation or a sign-up leaves it.
    @discardableResult
    static func account(_ app: Application, _ email: String, role: Role, party: String?) async throws -> AccountModel {
        let account = AccountModel(email: EmailAddress(email)!, passwordHash: try app.password.hash(password), role: role,
                                   partyID: party.flatMap(UUID.init(uuidString:)))
        account.verifiedAt = app.hakenClock.now()
        try await account.create(on: app.db)
        return account
    }

    /// A browser signed in with a new verified account of that role and party.
    static func signedIn(_ app: Application, _ email: String, role: Role, party: String?) async throws -> Browser {
        try await account(app, email, role: role, party: party)
        let browser = Browser(app)
        #expect(try await browser.signIn(email).status == .seeOther, "\(email) signs in")
        return browser
    }

    /// The path of the newest mailed link to `address` that starts with `prefix` (`/certify/`).
    static func mailedLink(_ app: Application, to address: String, prefix: String) async throws -> String? {
        let rows = try await OutboxModel.query(on: app.db).filter(\.$recipient == address).sort(\.$createdAt, .descending).all()
        for row in rows {
            if let range = row.body.range(of: prefix) {
                let tail = row.body[range.lowerBound...].prefix { !$0.isWhitespace }
                return String(tail)
            }
        }
        return nil
    }
}
