import Fluent
import HakenCore
import HakenStore
import Vapor

/// REG-1 stage 1: `/signup` makes a business contact's account and mails a link that proves
/// the address is theirs (REG-2: it becomes the registered address). The page answers the
/// same whether or not the address has an account, so it tells nobody who is registered.
enum SignUpController {
    static func show(req: Request) async throws -> Response {
        try await req.page("signup", title: "新規登録（事業者）", Form(form: FormState()))
    }

    struct Form: Encodable { var form: FormState }
    struct Input: Content { var email: String?; var password: String?; var passwordConfirmation: String? }

    static func create(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        let values = ["email": input.email ?? ""]
        var registration: AccountRegistration?
        var errors: [FieldError] = []
        do {
            registration = try AccountRegistration.validate(.init(email: input.email, password: input.password))
        } catch {
            errors = error.errors
        }
        if input.password != input.passwordConfirmation {
            errors.append(FieldError(field: "passwordConfirmation", code: "mismatch", message: "確認用のパスワードが一致しません。"))
        }
        guard let registration, errors.isEmpty else {
            return try await req.page("signup", title: "新規登録（事業者）", Form(form: FormState(values: values, failure: ValidationFailure(errors))),
                                      status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(registration.password)
        let now = req.application.hakenClock.now()
        let key = req.application.haken.auditKey
        try await req.db.hakenTransaction { db in
            switch try await Accounts.signUp(registration, passwordHash: hash, on: db, key: key, now: now) {
            case .pending(let account):
                let token = try await ActionLinks.issue(.signup, subject: try account.requireID(), on: db, key: key, now: now)
                try await WebMail.queue(.accountLink, to: account.email, AccountMailText.signup(link: WebMail.link("/signup/verify/\(token)", req: req)),
                                        dedupe: "signup:\(token)", req: req, on: db)
            case .exists(let account):
                try await WebMail.queue(.accountLink, to: account.email,
                                        AccountMailText.alreadyRegistered(loginLink: WebMail.link("/login", req: req),
                                                                          resetLink: WebMail.link("/password/forgot", req: req)),
                                        dedupe: "signup-exists:\(account.emailKey):\(Int(now.timeIntervalSince1970) / 600)", req: req, on: db)
            }
        }
        return req.seeOther("/signup/sent")
    }

    static func sent(req: Request) async throws -> Response {
        try await req.page("message", title: "確認メールを送りました", Message(
            heading: "確認メールを送りました",
            paragraphs: ["入力されたメールアドレスに確認メールを送りました。メールのリンクを開いて登録を完了してください（有効期限24時間）。",
                         "メールが届かない場合は、迷惑メールフォルダをご確認のうえ、もう一度お申し込みください。"],
            link: nil, linkLabel: nil))
    }

    // MARK: - The mailed link

    struct Verify: Encodable { var email: String; var action: String }

    /// GET shows what the link does; only the button (POST) does it, so a mail scanner that
    /// opens links verifies nothing.
    static func showVerify(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let (_, account) = try await valid(token, req: req)
        return try await req.page("signup-verify", title: "メールアドレスの確認", Verify(email: account.email, action: "/signup/verify/\(token)"))
    }

    static func verify(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let (link, account) = try await valid(token, req: req)
        let now = req.application.hakenClock.now()
        let key = req.application.haken.auditKey
        try await req.db.hakenTransaction { db in
            guard try await ActionLinks.consume(link, on: db, now: now) else { throw LinkProblem.used.error }
            try await Accounts.verify(account, on: db, key: key, now: now)
        }
        try await req.logIn(account)
        if account.partyID != nil { return req.seeOther("/dispatches", flash: "メールアドレスを確認しました。登録済みの事業者情報と結び付けました。") }
        return req.seeOther("/business/details", flash: "メールアドレスを確認しました。続けて事業者情報を登録してください。")
    }

    static func valid(_ token: String, req: Request) async throws -> (ActionLinkModel, AccountModel) {
        let lookup = try await ActionLinks.look(token, .signup, on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        guard case .valid(let link) = lookup else { throw LinkProblem(lookup, again: "もう一度 新規登録 からお申し込みください。").error }
        guard let account = try await AccountModel.find(link.subjectID, on: req.db) else { throw LinkProblem.unknown.error }
        return (link, account)
    }
}

/// A page of a heading, a few paragraphs and a way on.
struct Message: Encodable {
    var heading: String
    var paragraphs: [String]
    var link: String?
    var linkLabel: String?
}

/// Why a mailed link does not work, as the page says it.
struct LinkProblem {
    var status: HTTPResponseStatus
    var reason: String

    init(_ lookup: ActionLinks.Lookup, again: String) {
        switch lookup {
        case .valid: self = .init(status: .ok, reason: "")
        case .used: self = .init(status: .gone, reason: "このリンクは既に使われています。リンクは1回だけ使えます。")
        case .expired: self = .init(status: .gone, reason: "このリンクの有効期限が切れています。" + again)
        case .unknown: self = .unknown
        }
    }

    init(status: HTTPResponseStatus, reason: String) { self.status = status; self.reason = reason }

    static let unknown = LinkProblem(status: .notFound, reason: "リンクが見つかりません。メールのリンクが途中で切れていないかご確認ください。")
    static let used = LinkProblem(status: .gone, reason: "このリンクは既に使われています。リンクは1回だけ使えます。")

    var error: APIError { APIError(status, code: "link", reason: reason) }
}
