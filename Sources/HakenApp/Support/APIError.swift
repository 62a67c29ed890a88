import HakenCore
import NIOCore
import Vapor

/// A 4xx answer with a JSON body that names the field and the reason, in Japanese, so a
/// form or a script can show it next to the field.
public struct APIError: AbortError, Sendable {
    public var status: HTTPResponseStatus
    public var code: String
    public var reason: String
    public var errors: [FieldError]
    /// Extra headers of the answer (`Allow` with a 405).
    public var headers: HTTPHeaders = [:]

    public init(_ status: HTTPResponseStatus, code: String, reason: String, errors: [FieldError] = [], headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.reason = reason
        self.errors = errors
        self.headers = headers
    }

    public static func validation(_ failure: ValidationFailure) -> APIError {
        APIError(.unprocessableEntity, code: "validation_failed",
                 reason: failure.errors.first?.message ?? "入力内容を確認してください。", errors: failure.errors)
    }

    public static func field(_ field: String, code: String, message: String, status: HTTPResponseStatus = .unprocessableEntity) -> APIError {
        var error = validation(ValidationFailure([FieldError(field: field, code: code, message: message)]))
        error.status = status
        return error
    }

    public static let unauthenticated = APIError(.unauthorized, code: "unauthenticated",
                                                 reason: "認証が必要です。Authorization: Bearer <token> を指定してください。")
    public static let forbidden = APIError(.forbidden, code: "forbidden", reason: "この操作を行う権限がありません。")

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", reason: "\(what)が見つかりません。")
    }
}

/// The JSON error body of every failed API call.
struct ErrorBody: Content {
    var error: Bool = true
    var code: String
    var reason: String
    /// The first field at fault, for clients that show one message.
    var field: String?
    var errors: [FieldError]
}

/// Turns every error into a JSON answer; nothing reaches the client as a bare 500 with a
/// stack trace, and an unexpected error is logged with the request id.
struct JSONErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            if WebErrorPage.wantsHTML(request), let page = await WebErrorPage.response(for: error, request: request) { return page }
            return Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) -> Response {
        let body: ErrorBody
        let status: HTTPResponseStatus
        var headers = HTTPHeaders()
        switch error {
        case let api as APIError:
            status = api.status
            headers = api.headers
            body = ErrorBody(code: api.code, reason: api.reason, field: api.errors.first?.field, errors: api.errors)
        case WebError.csrf:
            status = .forbidden
            body = ErrorBody(code: "csrf", reason: "X-CSRF-Token ヘッダーがないか、正しくありません。", field: nil, errors: [])
        case WebError.signInRequired:
            status = .unauthorized
            body = ErrorBody(code: "unauthenticated", reason: APIError.unauthenticated.reason, field: nil, errors: [])
        case is NIOTooManyBytesError:
            // A body over the route's limit (a 50 MB POST to the mail pipe): refused, not a crash or a 500.
            status = .payloadTooLarge
            body = ErrorBody(code: "payload_too_large", reason: "送信されたデータが大きすぎます。", field: nil, errors: [])
        case let failure as ValidationFailure:
            let api = APIError.validation(failure)
            status = api.status
            body = ErrorBody(code: api.code, reason: api.reason, field: api.errors.first?.field, errors: api.errors)
        case let decoding as DecodingError:
            status = .badRequest
            let field = decoding.fieldPath
            let reason = field.map { "「\($0)」の値の型が正しくありません（文字列で指定してください）。" }
                ?? "リクエスト本文を JSON として読めませんでした。"
            body = ErrorBody(code: "invalid_body", reason: reason, field: field,
                             errors: field.map { [FieldError(field: $0, code: "invalid_type", message: reason)] } ?? [])
        case let abort as any AbortError:
            status = abort.status
            headers = abort.headers
            body = ErrorBody(code: Self.code(for: abort.status), reason: Self.japaneseReason(abort), field: nil, errors: [])
        default:
            request.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            status = .internalServerError
            body = ErrorBody(code: "internal_error", reason: "サーバー内部でエラーが発生しました。時間をおいて再度お試しください。", field: nil, errors: [])
        }
        let response = Response(status: status, headers: headers)
        do {
            try response.content.encode(body, as: .json)
        } catch {
            response.body = .init(string: #"{"error":true,"code":"internal_error"}"#)
        }
        return response
    }

    static func code(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: return "bad_request"
        case 401: return "unauthenticated"
        case 403: return "forbidden"
        case 404: return "not_found"
        case 405: return "method_not_allowed"
        case 413: return "payload_too_large"
        case 415: return "unsupported_media_type"
        case 422: return "invalid_body"
        default: return "http_\(status.code)"
        }
    }

    static func japaneseReason(_ abort: any AbortError) -> String {
        switch abort.status.code {
        case 404: return "指定されたページまたはリソースが見つかりません。"
        case 405: return "このメソッドは使えません。"
        case 413: return "送信されたデータが大きすぎます。"
        case 422: return "リクエスト本文を読めませんでした。JSON（Content-Type: application/json）で送信してください。"
        case 415: return "Content-Type: application/json で送信してください。"
        case 400: return "リクエストの形式が正しくありません。" + (abort.reason.isEmpty ? "" : "（\(abort.reason)）")
        default: return abort.reason
        }
    }
}

extension DecodingError {
    /// The JSON key that failed to decode, as the API names it.
    var fieldPath: String? {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            path = context.codingPath
        case .keyNotFound(let key, let context):
            path = context.codingPath + [key]
        @unknown default:
            return nil
        }
        let keys = path.map(\.stringValue).filter { !$0.isEmpty }
        return keys.isEmpty ? nil : keys.joined(separator: ".")
    }
}
