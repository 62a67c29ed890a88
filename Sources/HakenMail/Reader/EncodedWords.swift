/// RFC 2047 encoded words in unstructured header text (and, as mailers do, inside quoted
/// parameter values). Adjacent words of one charset are joined as bytes before decoding,
/// because mailers split a multibyte character across words.
public enum EncodedWords {
    public struct Decoded: Equatable, Sendable {
        public var text: String
        public var problems: [String]
    }

    public static func decode(_ input: String) -> Decoded {
        let bytes = Array(input.utf8)
        // Most header text has no encoded word: returned as it is.
        guard bytes.count >= 8, bytes.indices.dropLast().contains(where: { bytes[$0] == UInt8(ascii: "=") && bytes[$0 + 1] == UInt8(ascii: "?") }) else {
            return Decoded(text: input, problems: [])
        }
        var problems: [String] = []
        // Built as UTF-8 bytes: every delimiter is ASCII, and decoded words are appended as
        // their UTF-8, so no Character or scalar is ever formed for the plain parts.
        var output: [UInt8] = []
        var pending: (charset: String, bytes: [UInt8])?
        var gap: [UInt8] = []   // white space seen since the last encoded word
        output.reserveCapacity(bytes.count)
        var index = 0

        func flushPending() {
            guard let word = pending else { return }
            let decoded = Charsets.decode(word.bytes, charset: word.charset)
            if let problem = decoded.problem { appendOnce(&problems, problem == "unknown-charset" ? "unknown-charset" : "undecodable-encoded-word") }
            output.append(contentsOf: decoded.text.utf8)
            pending = nil
        }

        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "?"),
               let word = parseWord(bytes, at: index) {
                if let decoded = word.bytes {
                    if let open = pending, open.charset.asciiLowercased == word.charset.asciiLowercased {
                        pending = (open.charset, open.bytes + decoded)   // same charset: join bytes, drop the gap
                    } else {
                        flushPending()
                        pending = (word.charset, decoded)
                    }
                } else {
                    flushPending()
                    output += gap
                    output += bytes[index..<word.end]
                    appendOnce(&problems, "undecodable-encoded-word")
                }
                gap = []
                index = word.end
                continue
            }
            if byte == 0x20 || byte == 0x09 {
                if pending != nil {
                    gap.append(byte)   // white space between words is dropped only if another word follows
                } else {
                    output.append(byte)
                }
            } else {
                flushPending()
                output += gap
                gap = []
                output.append(byte)
            }
            index += 1
        }
        flushPending()
        output += gap
        return Decoded(text: StructuredText.string(output), problems: problems)
    }

    struct Word {
        var charset: String
        /// Nil when the encoded text is broken.
        var bytes: [UInt8]?
        var end: Int
    }

    /// `=?charset[*lang]?B|Q?text?=` starting at `start`.
    static func parseWord(_ s: [UInt8], at start: Int) -> Word? {
        let question = UInt8(ascii: "?")
        var i = start + 2
        while i < s.count, s[i] != question {
            if s[i] == 0x20 || s[i] == 0x09 || i - start - 2 > 40 { return nil }
            i += 1
        }
        var charsetBytes = s[(start + 2)..<i]
        guard i + 2 < s.count, !charsetBytes.isEmpty, s[i + 2] == question else { return nil }
        let encoding = s[i + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        i += 3
        let textStart = i
        while i + 1 < s.count, !(s[i] == question && s[i + 1] == UInt8(ascii: "=")) {
            if s[i] == 0x20 || s[i] == 0x09 { return nil }
            i += 1
        }
        guard i + 1 < s.count else { return nil }
        let text = Array(s[textStart..<i])
        if let star = charsetBytes.firstIndex(of: UInt8(ascii: "*")) { charsetBytes = charsetBytes[..<star] }   // RFC 2231 language suffix
        let bytes = encoding == UInt8(ascii: "b") ? Base64.decodeLenient(text, strict: true) : QuotedPrintable.decodeWord(text)
        return Word(charset: StructuredText.string(charsetBytes), bytes: bytes, end: i + 2)
    }
}
