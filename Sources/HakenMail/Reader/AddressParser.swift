/// Mailbox lists (From, To) as RFC 5322 and its obsolete syntax allow: display names,
/// quoted strings, comments, groups, angle addresses with source routes. Each address is
/// returned as its addr-spec, domain lower-cased, local part as written, so that legacy
/// docomo addresses (`a..b.@docomo.ne.jp`) survive.
public enum AddressParser {
    public static func addresses(_ value: String) -> [String] {
        let bytes = Array(value.utf8)
        var result: [String] = []
        for item in StructuredText.splitTopLevel(bytes[...], separators: (UInt8(ascii: ","), UInt8(ascii: ";"))) {
            var text = item
            // A group: `name: a, b;` — the display name before the colon is dropped.
            let angle = StructuredText.topLevelIndex(of: UInt8(ascii: "<"), in: text)
            if let colon = StructuredText.topLevelIndex(of: UInt8(ascii: ":"), in: text), angle.map({ $0 > colon }) ?? true {
                text = text[(colon + 1)...]
            }
            if let address = addrSpec(text) { result.append(address) }
        }
        return result
    }

    /// The addr-spec of one mailbox, or nil for an empty item.
    static func addrSpec(_ mailbox: ArraySlice<UInt8>) -> String? {
        var spec: [UInt8]
        if let open = StructuredText.topLevelIndex(of: UInt8(ascii: "<"), in: mailbox) {
            let rest = mailbox[(open + 1)...]
            var inside = rest[..<(rest.firstIndex(of: UInt8(ascii: ">")) ?? rest.endIndex)]
            if inside.first == UInt8(ascii: "@"), let colon = inside.firstIndex(of: UInt8(ascii: ":")) {   // obsolete source route
                inside = inside[(colon + 1)...]
            }
            spec = Array(inside)
        } else {
            spec = StructuredText.stripComments(mailbox)
        }
        spec = StructuredText.removingWhitespace(spec)
        guard !spec.isEmpty else { return nil }
        guard let at = spec.lastIndex(of: UInt8(ascii: "@")) else { return StructuredText.string(spec) }
        return StructuredText.string(spec[...at]) + StructuredText.lowercased(spec[(at + 1)...])
    }

    /// The text without its comments (dates, Message-ID and Return-Path carry them too).
    static func stripComments(_ text: String) -> String {
        StructuredText.string(StructuredText.stripComments(Array(text.utf8)[...]))
    }
}
