import Fluent
import HakenCore
import HakenStore
import Vapor

/// `/password/forgot` mails a reset link (the page answers the same for any address);
/// `/password/reset/{token}` and `/invitation/{token}` set a password through a mailed link:
/// a reset, or the first password of an invited institution staff member or expert.
enum PasswordController {
    struct Forgot: Encodable { var form: FormState }

    static func showForgot(req: Request) async throws -> Response {
        try await req.page("password-forgot", title: "パスワードの再設定", Forgot(form: FormState()))
    }

    static func forgot(req: Request) async throws -> Response {
        let typed = (try? req.content.get(String.self, at: "email")) ?? ""
        var check = FieldChecker()
        let email = check.email(typed, field: "email", label: "メールアドレス")
        guard let email else {
            return try await req.page("password-forgot", title: "パスワードの再設定",
                                      Forgot(form: FormState(values: ["email": typed], failure: ValidationFailure(check.errors))), status: .unprocessableEntity)
        }
        let now = req.application.hakenClock.now()
        let key = req.application.haken.auditKey
        if let account = try await Accounts.find(email, on: req.db) {
            try await req.db.hakenTransaction { db in
                let id = try account.requireID()
                try await ActionLinks.revokeAll(.passwordReset, subject: id, on: db, now: now)
                let token = try await ActionLinks.issue(.passwordReset, subject: id, on: db, key: key, now: now)
                try await WebMail.queue(.accountLink, to: account.email, AccountMailText.passwordReset(link: WebMail.link("/password/reset/\(token)", req: req)),
                                        dedupe: "reset:\(token)", req: req, on: db)
            }
        }
        return req.seeOther("/password/sent")
    }

    static func sent(req: Request) async throws -> Response {
        try await req.page("message", title: "再設定のメールを送りました", Message(
            heading: "再設定のメールを送りました",
            paragraphs: ["登録されているメールアドレスであれば、パスワード再設定のリンクをお送りしました（有効期限1時間）。"],
            link: "/login", linkLabel: "ログイン画面へ"))
    }

    // MARK: - Setting the password through a link

    struct SetPassword: Encodable {
        var heading: String
        var intro: String
        var email: String
        var action: String
        var form: FormState
    }

    static func showReset(req: Request) async throws -> Response {
        try await show(.passwordReset, req: req)
    }

    static func reset(req: Request) async throws -> Response {
        try await set(.passwordReset, req: req)
    }

    static func showInvitation(req: Request) async throws -> Response {
        try await show(.invitation, req: req)
    }

    static func acceptInvitation(req: Request) async throws -> Response {
        try await set(.invitation, req: req)
    }

    static func page(_ purpose: ActionLinks.Purpose, account: AccountModel, token: String, form: FormState) -> SetPassword {
        purpose == .invitation
            ? SetPassword(heading: "アカウントの作成", intro: "パスワードを設定すると、HakenDesk にログインできます。", email: account.email,
                          action: "/invitation/\(token)", form: form)
            : SetPassword(heading: "新しいパスワードの設定", intro: "新しいパスワードを入力してください。", email: account.email,
                          action: "/password/reset/\(token)", form: form)
    }

    static func show(_ purpose: ActionLinks.Purpose, req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let (_, account) = try await valid(purpose, token, req: req)
        let content = page(purpose, account: account, token: token, form: FormState())
        return try await req.page("set-password", title: content.heading, content)
    }

    static func set(_ purpose: ActionLinks.Purpose, req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let (link, account) = try await valid(purpose, token, req: req)
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let confirmation = (try? req.content.get(String.self, at: "passwordConfirmation")) ?? ""
        do {
            _ = try AccountRegistration.validate(.init(email: account.email, password: password))
            if password != confirmation {
                throw ValidationFailure([FieldError(field: "passwordConfirmation", code: "mismatch", message: "確認用のパスワードが一致しません。")])
            }
        } catch let failure as ValidationFailure {
            let content = page(purpose, account: account, token: token, form: FormState(values: [:], failure: failure))
            return try await req.page("set-password", title: content.heading, content, status: .unprocessableEntity)
        }
        let hash = try await req.password.async.hash(password)
        let now = req.application.hakenClock.now()
        let key = req.application.haken.auditKey
        try await req.db.hakenTransaction { db in
            guard try await ActionLinks.consume(link, on: db, now: now) else { throw LinkProblem.used.error }
            try await Accounts.setPassword(account, hash: hash, reason: purpose.rawValue, on: db, key: key, now: now)
        }
        try await req.logIn(account)
        return req.seeOther("/dispatches", flash: purpose == .invitation ? "アカウントを作成しました。" : "パスワードを変更しました。")
    }

    static func valid(_ purpose: ActionLinks.Purpose, _ token: String, req: Request) async throws -> (ActionLinkModel, AccountModel) {
        let lookup = try await ActionLinks.look(token, purpose, on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        let again = purpose == .invitation ? "事務局に招待メールの再送をご依頼ください。" : "もう一度 パスワードの再設定 からお申し込みください。"
        guard case .valid(let link) = lookup else { throw LinkProblem(lookup, again: again).error }
        guard let account = try await AccountModel.find(link.subjectID, on: req.db) else { throw LinkProblem.unknown.error }
        return (link, account)
    }
}
