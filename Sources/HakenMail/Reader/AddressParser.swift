/// Mailbox lists (From, To) as RFC 5322 and its obsolete syntax allow: display names,
/// quoted strings, comments, groups, angle addresses with source routes. Each address is
/// returned as its addr-spec, domain lower-cased, local part as written, so that legacy
/// docomo addresses (`a..b.@docomo.ne.jp`) survive.
public enum AddressParser {
    public static func addresses(_ value: String) -> [String] {
        var result: [String] = []
        for item in splitTopLevel(value, separators: [",", ";"]) {
            var text = item
            // A group: `name: a, b;` — the display name before the colon is dropped.
            let angle = topLevelIndex(of: "<", in: text)
            if let colon = topLevelIndex(of: ":", in: text), angle.map({ $0 > colon }) ?? true {
                text = String(text[text.index(after: colon)...])
            }
            if let address = addrSpec(text) { result.append(address) }
        }
        return result
    }

    /// The addr-spec of one mailbox, or nil for an empty item.
    static func addrSpec(_ mailbox: String) -> String? {
        var spec: String
        if let open = topLevelIndex(of: "<", in: mailbox) {
            let rest = mailbox[mailbox.index(after: open)...]
            let close = rest.firstIndex(of: ">") ?? rest.endIndex
            spec = String(rest[..<close])
            if spec.hasPrefix("@"), let colon = spec.firstIndex(of: ":") {   // obsolete source route
                spec = String(spec[spec.index(after: colon)...])
            }
        } else {
            spec = stripComments(mailbox)
        }
        spec = spec.filter { !$0.isWhitespace }
        guard !spec.isEmpty else { return nil }
        guard let at = spec.lastIndex(of: "@") else { return spec }
        return spec[..<at] + "@" + spec[spec.index(after: at)...].lowercased()
    }

    static func stripComments(_ text: String) -> String {
        var out = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for ch in text {
            if escaped { if depth == 0 { out.append(ch) }; escaped = false; continue }
            if ch == "\\" { escaped = true; if depth == 0 { out.append(ch) }; continue }
            if ch == "\"" && depth == 0 { quoted.toggle(); out.append(ch); continue }
            if !quoted {
                if ch == "(" { depth += 1; continue }
                if ch == ")" && depth > 0 { depth -= 1; continue }
            }
            if depth == 0 { out.append(ch) }
        }
        return out
    }

    /// Splits on separators that are outside quotes, comments and angle brackets.
    static func splitTopLevel(_ text: String, separators: Set<Character>) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0, angle = 0
        var quoted = false, escaped = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "\"" where depth == 0: quoted.toggle()
            case "(" where !quoted: depth += 1
            case ")" where !quoted && depth > 0: depth -= 1
            case "<" where !quoted && depth == 0: angle += 1
            case ">" where !quoted && depth == 0 && angle > 0: angle -= 1
            default:
                if separators.contains(ch) && !quoted && depth == 0 && angle == 0 {
                    parts.append(current)
                    current = ""
                    continue
                }
            }
            current.append(ch)
        }
        parts.append(current)
        return parts
    }

    static func topLevelIndex(of target: Character, in text: String) -> String.Index? {
        var depth = 0
        var quoted = false, escaped = false
        var index = text.startIndex
        while index < text.endIndex {
            let ch = text[index]
            if escaped {
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "\"" && depth == 0 {
                quoted.toggle()
            } else if !quoted && ch == "(" {
                depth += 1
            } else if !quoted && ch == ")" && depth > 0 {
                depth -= 1
            } else if !quoted && depth == 0 && ch == target {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }
}
