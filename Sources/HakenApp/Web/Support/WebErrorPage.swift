import HakenCore
import Vapor

/// Errors on pages answer as pages: a browser gets Japanese HTML with a way on, never JSON
/// or a dead end; a page that needs signing in sends the person to the login page and back.
enum WebErrorPage {
    struct Context: Encodable {
        var heading: String
        var message: String
    }

    /// Whether this request is a person's browser on a page (not the API, not a script).
    static func wantsHTML(_ request: Request) -> Bool {
        let path = request.url.path
        if path.hasPrefix("/api/") || path == "/metrics" || path == "/healthz" || path.hasSuffix(".json") { return false }
        return request.headers.accept.contains { $0.mediaType == .html } || request.cookies[WebSession.cookieName] != nil
            || (request.headers.contentType.map { $0 == .urlEncodedForm || $0.type == "multipart" } ?? false)
    }

    static func response(for error: any Error, request: Request) async -> Response? {
        let status: HTTPResponseStatus
        let context: Context
        switch error {
        case WebError.signInRequired(let path):
            let next = path.hasPrefix("/") && !path.hasPrefix("//") ? path : "/dispatches"
            var components = URLComponents()
            components.path = "/login"
            components.queryItems = [URLQueryItem(name: "next", value: next)]
            return request.redirect(to: components.string ?? "/login", redirectType: .normal)
        case WebError.csrf:
            status = .forbidden
            context = Context(heading: "もう一度お試しください", message: "画面を開いてから時間がたったか、別の画面から送信されたため、受け付けられませんでした。前の画面に戻り、再読み込みしてからもう一度送信してください。")
        case let failure as ValidationFailure:
            status = .unprocessableEntity
            context = Context(heading: "入力内容を確認してください", message: failure.errors.map(\.message).joined(separator: " "))
        case let api as APIError where api.status == .unauthorized:
            return request.redirect(to: "/login", redirectType: .normal)
        case let api as APIError:
            status = api.status
            context = Context(heading: heading(api.status), message: api.reason)
        case let abort as any AbortError:
            status = abort.status
            context = Context(heading: heading(abort.status), message: JSONErrorMiddleware.japaneseReason(abort))
        default:
            request.logger.error("unexpected error on a page", metadata: ["error": "\(String(reflecting: error))"])
            status = .internalServerError
            context = Context(heading: "エラーが発生しました", message: "時間をおいてもう一度お試しください。続く場合は事務局にお問い合わせください。")
        }
        do {
            let response = try await request.page("error", title: context.heading, context, status: status)
            // What the error says in headers (a 405's Allow) stays on the page's answer.
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers { response.headers.replaceOrAdd(name: name, value: value) }
            }
            return response
        } catch {
            return nil
        }
    }

    static func heading(_ status: HTTPResponseStatus) -> String {
        switch status.code {
        case 403: return "このページを表示する権限がありません"
        case 404: return "ページが見つかりません"
        case 409: return "既に登録されています"
        case 410: return "このリンクは使えません"
        case 413: return "ファイルが大きすぎます"
        case 429: return "しばらくお待ちください"
        default: return "もう一度お試しください"
        }
    }
}
