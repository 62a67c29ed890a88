/// JSON string quoting shared by the audit log's canonical form and `mail inspect`'s
/// output, so both escape exactly the same characters. The audit chain's hashes depend on
/// these bytes: the escapes must never change (`JSONQuotingTests` holds them to a reference).
public enum JSONQuoting {
    /// Escapes `"` `\` and the line ends as themselves, other C0 controls, DEL, U+2028 and
    /// U+2029 as `\u00XX`; everything else is copied. Works on UTF-8: the bytes it escapes are
    /// ASCII or the three-byte U+2028/2029, so the runs it copies whole end on character
    /// boundaries (the audit chain quotes every field of every entry).
    public static func quote(_ text: String, into out: inout String) {
        out += "\""
        var copy = text
        copy.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            func flush(_ end: Int) {
                if end > runStart { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<end]), as: UTF8.self) }
            }
            while index < bytes.count {
                let byte = bytes[index]
                var escape: String?
                var width = 1
                switch byte {
                case 0x22: escape = "\\\""
                case 0x5C: escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x00..<0x20, 0x7F: escape = unicodeEscape(UInt32(byte))
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    escape = unicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029)
                    width = 3
                default: break
                }
                if let escape {
                    flush(index)
                    out += escape
                    index += width
                    runStart = index
                } else {
                    index += 1
                }
            }
            flush(bytes.count)
        }
        out += "\""
    }

    static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    public static func quoted(_ text: String) -> String {
        var out = ""
        quote(text, into: &out)
        return out
    }
}
