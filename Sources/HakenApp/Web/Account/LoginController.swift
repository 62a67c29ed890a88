import Fluent
import HakenCore
import HakenStore
import Vapor

/// `/login`, `/logout`: Bcrypt passwords, throttled per account and per client address
/// (LoginThrottle); the answer to a wrong address and a wrong password is the same.
enum LoginController {
    struct Context: Encodable {
        var email: String
        var next: String
        var message: String?
    }

    static func show(req: Request) async throws -> Response {
        if req.auth.get(Principal.self)?.accountID != nil { return req.redirect(to: "/dispatches") }
        return try await req.page("login", title: "ログイン", Context(email: "", next: safeNext(req.query[String.self, at: "next"]), message: nil))
    }

    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    static let wrong = "メールアドレスまたはパスワードが正しくありません。"

    static func login(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let typed = String((form.email ?? "").trimmingWhitespace.prefix(254))
        let next = safeNext(form.next)
        let now = req.application.hakenClock.now()
        let email = EmailAddress(typed)
        let key = email?.matchKey ?? typed.lowercased()
        let client = req.clientAddress
        func refuse(_ message: String, status: HTTPResponseStatus) async throws -> Response {
            try await req.page("login", title: "ログイン", Context(email: typed, next: next, message: message), status: status)
        }

        let failures = try await LoginAttempts.recentFailures(accountKey: key, client: client, now: now, on: req.db)
        if case .wait(let until) = LoginThrottle.verdict(accountFailures: failures.account, clientFailures: failures.client, now: now) {
            return try await refuse(LoginThrottle.message(until, now: now), status: .tooManyRequests)
        }
        let account = try await email.asyncMap { try await Accounts.find($0, on: req.db) } ?? nil
        let password = form.password ?? ""
        var matches = false
        if let account, account.passwordHash != Accounts.noPassword, password.count <= 200 {
            matches = (try? await req.password.async.verify(password, created: account.passwordHash)) ?? false
        } else {
            // The same work for an unknown address, so timing does not tell who has an account.
            _ = try? await req.password.async.hash("not-an-account")
        }
        try await LoginAttempts.record(accountKey: key, client: client, succeeded: matches, now: now, on: req.db)
        guard matches, let account else { return try await refuse(wrong, status: .unauthorized) }
        guard account.verifiedAt != nil else {
            return try await refuse("メールアドレスの確認が済んでいません。登録時にお送りしたメールのリンクを開いてください。", status: .unauthorized)
        }
        try await req.logIn(account)
        if account.accountRole == .business && account.partyID == nil { return req.redirect(to: "/business/details") }
        return req.redirect(to: next)
    }

    static func logout(req: Request) async throws -> Response {
        req.logOut()
        return req.redirect(to: "/login")
    }

    /// Only our own paths: `next` never sends anyone to another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next.count < 300,
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return "/dispatches" }
        return next
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
