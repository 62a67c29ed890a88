import Testing
@testable import HakenCore

/// The audit chain hashes quoted text: the quoting must stay byte for byte what it was.
@Suite struct JSONQuotingTests {
    /// The first implementation, scalar by scalar: the reference.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    @Test("NOTE-3: quoting equals the reference for every control, U+2028/2029, their neighbours and real text")
    func quotingMatchesTheReference() {
        var samples = ["", "ばそな建設/専門家次郎/8月21日 10:30", "{\"a\":\"b\\\\c\"}", "改行\nと\"引用\"", "――――", "‐‑‒–—―",
                       "\u{2027}\u{2028}\u{2029}\u{202A}\u{202F}", "e\u{301}🇯🇵👨‍👩‍👧", "\u{E2}\u{80}", "a\u{7F}b\u{80}c\u{9F}"]
        samples += (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        samples += (0x2000..<0x2070).compactMap { UnicodeScalar($0).map { "x" + String($0) + "y" } }
        for sample in samples {
            #expect(JSONQuoting.quoted(sample) == Self.reference(sample), "\(sample.unicodeScalars.map { $0.value })")
        }
    }
}
