/// RFC 2047 encoded words in unstructured header text (and, as mailers do, inside quoted
/// parameter values). Adjacent words of one charset are joined as bytes before decoding,
/// because mailers split a multibyte character across words.
public enum EncodedWords {
    public struct Decoded: Equatable, Sendable {
        public var text: String
        public var problems: [String]
    }

    public static func decode(_ input: String) -> Decoded {
        var problems: [String] = []
        var output = ""
        var pending: (charset: String, bytes: [UInt8])?
        var gap = ""   // white space seen since the last encoded word
        let scalars = Array(input.unicodeScalars)
        var index = 0

        func flushPending() {
            guard let word = pending else { return }
            let decoded = Charsets.decode(word.bytes, charset: word.charset)
            if let problem = decoded.problem { appendOnce(&problems, problem == "unknown-charset" ? "unknown-charset" : "undecodable-encoded-word") }
            output += decoded.text
            pending = nil
        }

        while index < scalars.count {
            if scalars[index] == "=", index + 1 < scalars.count, scalars[index + 1] == "?",
               let word = parseWord(scalars, at: index) {
                if let bytes = word.bytes {
                    if let open = pending, open.charset.lowercased() == word.charset.lowercased() {
                        pending!.bytes += bytes                       // same charset: join bytes, drop the gap
                    } else {
                        flushPending()
                        pending = (word.charset, bytes)
                    }
                    gap = ""
                } else {
                    flushPending()
                    output += gap + String(String.UnicodeScalarView(scalars[index..<word.end]))
                    gap = ""
                    appendOnce(&problems, "undecodable-encoded-word")
                }
                index = word.end
                continue
            }
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" {
                if pending != nil {
                    gap.unicodeScalars.append(scalar)   // white space between words is dropped only if another word follows
                } else {
                    output.unicodeScalars.append(scalar)
                }
            } else {
                flushPending()
                output += gap
                gap = ""
                output.unicodeScalars.append(scalar)
            }
            index += 1
        }
        flushPending()
        output += gap
        return Decoded(text: output, problems: problems)
    }

    struct Word {
        var charset: String
        /// Nil when the encoded text is broken.
        var bytes: [UInt8]?
        var end: Int
    }

    /// `=?charset[*lang]?B|Q?text?=` starting at `start`.
    static func parseWord(_ s: [Unicode.Scalar], at start: Int) -> Word? {
        var i = start + 2
        var charset = ""
        while i < s.count, s[i] != "?" {
            if s[i] == " " || s[i] == "\t" || charset.unicodeScalars.count > 40 { return nil }
            charset.unicodeScalars.append(s[i])
            i += 1
        }
        guard i + 2 < s.count, !charset.isEmpty, s[i + 2] == "?" else { return nil }
        let encoding = s[i + 1]
        guard "bBqQ".unicodeScalars.contains(encoding) else { return nil }
        i += 3
        let textStart = i
        while i + 1 < s.count, !(s[i] == "?" && s[i + 1] == "=") {
            if s[i] == " " || s[i] == "\t" { return nil }
            i += 1
        }
        guard i + 1 < s.count else { return nil }
        let text = s[textStart..<i]
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }   // RFC 2231 language suffix
        let bytes = (encoding == "b" || encoding == "B") ? Base64.decodeLenient(text.map { UInt8(truncatingIfNeeded: $0.value) }, strict: true)
                                                       : QuotedPrintable.decodeWord(text.map { UInt8(truncatingIfNeeded: $0.value) })
        return Word(charset: charset, bytes: bytes, end: i + 2)
    }
}
