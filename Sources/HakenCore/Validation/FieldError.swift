/// A problem with one input field, worded for the person who typed it.
public struct FieldError: Error, Equatable, Sendable, Codable {
    /// The field's name as the API and the forms call it (`date`, `email`, …).
    public let field: String
    /// Machine-readable reason (`required`, `invalid_format`, …).
    public let code: String
    /// Japanese message shown next to the field.
    public let message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public static func required(_ field: String, label: String) -> FieldError {
        FieldError(field: field, code: "required", message: "\(label)を入力してください。")
    }
}

/// Several field errors at once, so a form shows all of them in one round trip.
public struct ValidationFailure: Error, Equatable, Sendable {
    public let errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// Collects field errors while a value is checked.
public struct FieldChecker: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}

    public mutating func add(_ error: FieldError) { errors.append(error) }

    /// Trimmed text, or a `required` error when empty.
    /// Lengths count Unicode code points, as JSON Schema's `maxLength` does (openapi.yaml says
    /// the same limits); control characters are refused anywhere in what was sent, before
    /// spaces around the value are trimmed.
    public mutating func required(_ value: String?, field: String, label: String, maxLength: Int = 200) -> String {
        let text = (value ?? "").trimmingWhitespace
        if refuseInvisible(value ?? "", field: field, label: label) {
        } else if text.isEmpty {
            add(.required(field, label: label))
        } else if text.unicodeScalars.count > maxLength {
            add(FieldError(field: field, code: "too_long", message: "\(label)は\(maxLength)文字以内で入力してください。"))
        }
        return text
    }

    /// Trimmed text, nil when empty.
    public mutating func optional(_ value: String?, field: String, label: String, maxLength: Int = 200) -> String? {
        let text = (value ?? "").trimmingWhitespace
        if refuseInvisible(value ?? "", field: field, label: label) {
        } else if text.unicodeScalars.count > maxLength {
            add(FieldError(field: field, code: "too_long", message: "\(label)は\(maxLength)文字以内で入力してください。"))
        }
        return text.isEmpty ? nil : text
    }

    /// Control characters (NUL, CR/LF, BEL, …) and bidirectional controls (U+202E and its kin)
    /// in a one-line field: they hide or reorder what a person reads in lists, mails and logs.
    @discardableResult
    mutating func refuseInvisible(_ text: String, field: String, label: String) -> Bool {
        guard text.unicodeScalars.contains(where: \.isInvisibleControl) else { return false }
        add(FieldError(field: field, code: "invalid_character",
                       message: "\(label)に改行・制御文字・文字の向きを変える記号は使えません。"))
        return true
    }

    /// A name that appears in report subjects (DAY-1: business and expert), which are split
    /// on slashes: a name containing one could never be read back.
    public mutating func refuseSlash(_ name: String, field: String, label: String) {
        if name.contains("/") || name.contains("／") {
            add(FieldError(field: field, code: "invalid_character", message: "\(label)に「/」は使えません（報告メールの件名の区切りに使うため）。"))
        }
    }

    public func finish() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}

extension String {
    /// Trims ASCII and full-width (U+3000) spaces and line ends.
    public var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isWhiteSpace }),
              let last = scalars.lastIndex(where: { !$0.isWhiteSpace }) else { return "" }
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// C0 and C1 controls, DEL, and the bidirectional formatting characters.
    public var isInvisibleControl: Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// Unicode's White_Space property (the ideographic space included), answered without
    /// the property table: the list is short and fixed, and this runs for every character
    /// of every subject and name.
    public var isWhiteSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
