import HakenCore
import HakenStore
import Vapor

/// What every page's layout needs: title, the signed-in person, navigation by role, the
/// CSRF token for its forms and a message carried over from the last action.
struct PageBase: Encodable {
    var title: String
    var csrf: String
    var user: String?
    var roleName: String?
    var nav: [NavLink]
    var flash: String?
    /// `main` for the skip link's target; pages set it only when they need another.
    var signedIn: Bool { user != nil }

    struct NavLink: Encodable {
        var href: String
        var label: String
        var current: Bool
    }

    enum CodingKeys: String, CodingKey { case title, csrf, user, roleName, nav, flash, signedIn }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(title, forKey: .title)
        try container.encode(csrf, forKey: .csrf)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(roleName, forKey: .roleName)
        try container.encode(nav, forKey: .nav)
        try container.encodeIfPresent(flash, forKey: .flash)
        try container.encode(signedIn, forKey: .signedIn)
    }
}

/// A page's own values beside the layout's.
struct PageContext<Page: Encodable>: Encodable {
    var base: PageBase
    var page: Page
}

/// A form's state when it comes back with errors: each message beside its field (by name),
/// the list at the top, and what was typed, kept.
struct FormState: Encodable {
    var values: [String: String] = [:]
    var errors: [String: String] = [:]
    var summary: [FieldError] = []

    init(values: [String: String] = [:]) { self.values = values }

    /// `order`: the form's field names top to bottom, so the summary reads in the form's order.
    init(values: [String: String], failure: ValidationFailure, order: [String] = []) {
        self.values = values
        summary = failure.errors.enumerated().sorted { a, b in
            let x = order.firstIndex(of: a.element.field) ?? order.count, y = order.firstIndex(of: b.element.field) ?? order.count
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        for error in failure.errors where errors[error.field] == nil { errors[error.field] = error.message }
    }

    var hasErrors: Bool { !summary.isEmpty }

    enum CodingKeys: String, CodingKey { case values, errors, summary, hasErrors }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(values, forKey: .values)
        try container.encode(errors, forKey: .errors)
        try container.encode(summary, forKey: .summary)
        try container.encode(hasErrors, forKey: .hasErrors)
    }
}

extension Request {
    func pageBase(title: String) -> PageBase {
        let principal = auth.get(Principal.self)
        let path = url.path
        var nav: [PageBase.NavLink] = []
        func link(_ href: String, _ label: String) {
            nav.append(.init(href: href, label: label, current: path == href))
        }
        switch principal?.role {
        case nil:
            link("/login", "ログイン")
            link("/signup", "新規登録")
        case .business?:
            link("/dispatches", "派遣一覧")
            link("/business/details", "事業者情報")
        case .institution?:
            link("/dispatches", "派遣一覧")
            link("/consultations/new", "経営相談を記録")
            link("/businesses/new", "事業者の登録")
        case .expert?:
            link("/dispatches", "派遣一覧")
            link("/expert/profile", "プロフィール")
        case .secretariat?:
            link("/desk", "事務局デスク")
            link("/desk/mail", "受信メール")
            link("/dispatches", "派遣一覧")
            link("/desk/photos", "写真の確認")
            link("/desk/consents", "同意書の確認")
            link("/desk/deadlines", "期限の管理")
            link("/desk/dashboard", "年度の概況")
            link("/desk/audit", "監査ログ")
            link("/desk/invitations", "招待")
        }
        let name = account.map { $0.displayName ?? $0.email }
        return PageBase(title: title, csrf: csrfToken(), user: name, roleName: principal?.role.japaneseName, nav: nav, flash: takeFlash())
    }

    /// Renders `template` inside the layout.
    func page<Page: Encodable>(_ template: String, title: String, _ page: Page, status: HTTPResponseStatus = .ok) async throws -> Response {
        let response = try await view.render(template, PageContext(base: pageBase(title: title), page: page)).encodeResponse(for: self)
        response.status = status
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// After a form that changed something (POST → redirect → GET).
    func seeOther(_ location: String, flash message: String? = nil) -> Response {
        if let message { flash(message) }
        return redirect(to: location, redirectType: .normal)
    }

    /// The signed-in caller, or a redirect to the login page that comes back here.
    func signedIn() throws -> Principal {
        guard let principal = auth.get(Principal.self), principal.accountID != nil else { throw WebError.signInRequired(url.path) }
        return principal
    }

    /// A form body as text fields (what a urlencoded or multipart form sends).
    func formValues(_ names: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in names { values[name] = (try? content.get(String.self, at: name)) ?? "" }
        return values
    }
}

/// What goes wrong on a page, answered as a page (not JSON).
enum WebError: Error {
    /// The form's CSRF token is missing or stale (403).
    case csrf
    /// Not signed in: to the login page, then back to `path`.
    case signInRequired(String)
}

/// A page that is one form (`form.leaf`): heading, a paragraph, the fields, one button.
struct FormPage: Encodable {
    var heading: String
    var intro: String
    var action: String
    var multipart: Bool = false
    var submit: String
    var form: FormState
    var fields: [FormField]
}

/// One input of a form, rendered by `partials/fields.leaf`: label, required mark, hint, the
/// typed value and the error beside it, wired together with ids for screen readers.
struct FormField: Encodable {
    var name: String
    var label: String
    var type: String = "text"
    var required: Bool = false
    var hint: String?
    var autocomplete: String?
    var inputmode: String?
    var value: String = ""
    var error: String?
    /// For `type: "select"` and `"radio"`.
    var options: [Option] = []

    struct Option: Encodable {
        var value: String
        var label: String
        var selected: Bool
    }

    var describedBy: String? {
        let ids = [hint.map { _ in "\(name)-hint" }, error.map { _ in "\(name)-error" }].compactMap { $0 }
        return ids.isEmpty ? nil : ids.joined(separator: " ")
    }

    enum CodingKeys: String, CodingKey {
        case name, label, type, required, hint, autocomplete, inputmode, value, error, options, describedBy, isSelect, isTextarea, isRadio
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name); try c.encode(label, forKey: .label); try c.encode(type, forKey: .type)
        try c.encode(required, forKey: .required); try c.encodeIfPresent(hint, forKey: .hint)
        try c.encodeIfPresent(autocomplete, forKey: .autocomplete); try c.encodeIfPresent(inputmode, forKey: .inputmode)
        try c.encode(value, forKey: .value); try c.encodeIfPresent(error, forKey: .error); try c.encode(options, forKey: .options)
        try c.encodeIfPresent(describedBy, forKey: .describedBy)
        try c.encode(type == "select", forKey: .isSelect); try c.encode(type == "textarea", forKey: .isTextarea)
        try c.encode(type == "radio", forKey: .isRadio)
    }
}

extension FormState {
    /// A field of this form with its typed value and its error.
    func field(_ name: String, _ label: String, type: String = "text", required: Bool = false, hint: String? = nil,
               autocomplete: String? = nil, inputmode: String? = nil, options: [(String, String)] = []) -> FormField {
        let value = values[name] ?? ""
        return FormField(name: name, label: label, type: type, required: required, hint: hint, autocomplete: autocomplete,
                         inputmode: inputmode, value: value, error: errors[name],
                         options: options.map { FormField.Option(value: $0.0, label: $0.1, selected: $0.0 == value) })
    }
}

/// The field errors a shared API path threw (`APIError` with fields, or a bare
/// `ValidationFailure` from a checker), to show beside a form's fields; nil for anything else.
func formFailure(_ error: any Error) -> (failure: ValidationFailure, status: HTTPResponseStatus)? {
    switch error {
    case let failure as ValidationFailure: return (failure, .unprocessableEntity)
    case let api as APIError where !api.errors.isEmpty: return (ValidationFailure(api.errors), api.status)
    default: return nil
    }
}
