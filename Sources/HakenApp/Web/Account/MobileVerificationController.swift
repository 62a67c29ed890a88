import Fluent
import HakenCore
import HakenStore
import Vapor

/// DEC-10: `GET /mobile/verify/{token}` shows what the link confirms; the button posts to the
/// same address (with the form's CSRF token), which verifies it. A GET changes nothing, so a
/// mail scanner that opens links cannot verify an address on the owner's behalf.
enum MobileVerificationController {
    struct Context: Encodable {
        var title: String
        var message: String
        var business: String?
        var address: String?
        var canConfirm: Bool
        var action: String
    }

    /// Queues the link to the business's mobile address (in the caller's transaction).
    static func mailLink(for business: BusinessModel, req: Request, on db: Database) async throws {
        let now = req.application.hakenClock.now()
        guard let token = try await MobileVerification.issue(for: business, on: db, key: req.application.haken.auditKey, now: now), let address = business.mobileEmail else { return }
        try await WebMail.queue(.addressVerification, to: address,
                                MobileVerificationText.message(business: business.name, link: WebMail.link("/mobile/verify/\(token)", req: req)),
                                dedupe: "verify:\(token)", req: req, on: db)
    }

    static func show(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let outcome = try await MobileVerification.look(token, on: req.db, key: req.application.haken.auditKey, now: req.application.hakenClock.now())
        return try await render(outcome, confirmed: false, token: token, req: req)
    }

    static func confirm(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let outcome = try await MobileVerification.confirm(token, on: req.db, key: req.application.haken.auditKey,
                                                               now: req.application.hakenClock.now())
        return try await render(outcome, confirmed: true, token: token, req: req)
    }

    static func render(_ outcome: MobileVerification.Outcome, confirmed: Bool, token: String, req: Request) async throws -> Response {
        let action = "/mobile/verify/\(token)"
        let context: Context
        let status: HTTPResponseStatus
        switch outcome {
        case .verified(let business, let address):
            status = .ok
            context = confirmed
                ? Context(title: "確認しました", message: "このアドレスからの当日報告を、\(business)様の報告として受け付けます。", business: business,
                          address: address, canConfirm: false, action: action)
                : Context(title: "携帯メールアドレスの確認", message: "次のアドレスを、当日報告を送る携帯メールアドレスとして確認します。", business: business,
                          address: address, canConfirm: true, action: action)
        case .alreadyUsed:
            status = .gone
            context = Context(title: "このリンクは使用済みです", message: "このリンクで既に確認が済んでいます。もう一度確認する必要はありません。",
                              canConfirm: false, action: action)
        case .expired:
            status = .gone
            context = Context(title: "リンクの有効期限が切れています", message: "事務局に確認メールの再送をご依頼ください。", canConfirm: false, action: action)
        case .addressChanged:
            status = .gone
            context = Context(title: "このリンクは使えません", message: "このリンクを送った後に携帯メールアドレスが変更されました。新しいアドレスに届いたリンクをお使いください。",
                              canConfirm: false, action: action)
        case .unknown:
            status = .notFound
            context = Context(title: "リンクが見つかりません", message: "リンクが正しくコピーされているかご確認ください。", canConfirm: false, action: action)
        }
        return try await req.page("mobile-verify", title: context.title, context, status: status)
    }
}
