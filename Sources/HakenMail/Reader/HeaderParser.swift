/// One header field, unfolded: the bytes of its value with the line breaks of folding
/// removed (RFC 5322 §2.2.3), leading white space after the colon dropped.
public struct RawHeader: Sendable, Equatable {
    public var name: String { didSet { lowercasedName = name.asciiLowercased } }
    public var value: [UInt8]
    /// Kept beside the name: every lookup compares it.
    public private(set) var lowercasedName: String

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
        self.lowercasedName = name.asciiLowercased
    }
}

/// The header block of a message or a MIME part. Lookups are case-insensitive; duplicates
/// are kept in order (the first wins for single-valued fields).
public struct HeaderBlock: Sendable, Equatable {
    public var fields: [RawHeader] = []

    public func first(_ name: String) -> RawHeader? {
        let key = name.asciiLowercased
        return fields.first { $0.lowercasedName == key }
    }

    public func all(_ name: String) -> [RawHeader] {
        let key = name.asciiLowercased
        return fields.filter { $0.lowercasedName == key }
    }

    /// The first field's value as text: 8-bit bytes are read as UTF-8 (RFC 6532), raw
    /// ISO-2022-JP escapes as ISO-2022-JP. Encoded words are left alone (see EncodedWords).
    public func text(_ name: String) -> String? {
        first(name).map { HeaderText.raw($0.value) }
    }
}

extension RawHeader {
    /// The value as a person reads it: its charset and RFC 2047 words decoded (the
    /// secretariat's view of a received mail).
    public var displayText: String { EncodedWords.decode(HeaderText.raw(value)).text }
}

enum HeaderText {
    static func raw(_ bytes: [UInt8]) -> String {
        if bytes.contains(0x1B) { return ISO2022JP.decode(bytes).text }
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        return Charsets.decodeUndeclared(bytes).text
    }
}

/// Reads a header block as real mail has it: CRLF or bare-LF line ends, folding, obsolete
/// white space before the colon, 8-bit bytes, NUL bytes, lines that are not headers.
enum HeaderParser {
    struct Result {
        var headers: HeaderBlock
        /// Index of the first body byte (after the empty line), or the end.
        var bodyStart: Int
        var problems: [String]
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Result {
        var problems: [String] = []
        var headers = HeaderBlock()
        var index = range.lowerBound
        let end = range.upperBound
        // The first line end decides: CRLF mail treats a bare LF inside a field as damage.
        let crlfMode: Bool = {
            var i = index
            while i < end && bytes[i] != 0x0A { i += 1 }
            return i < end && i > index && bytes[i - 1] == 0x0D
        }()
        var current: (name: String, value: [UInt8])?

        func finish() {
            if let field = current {
                var value = field.value
                while let last = value.last, last == 0x20 || last == 0x09 || last == 0x0D { value.removeLast() }
                headers.fields.append(RawHeader(name: field.name, value: value))
            }
            current = nil
        }

        // An mbox "From " line before the headers is not a header.
        if end - index >= 5 && bytes[index] == 0x46 && bytes[index + 1] == 0x72 && bytes[index + 2] == 0x6F
            && bytes[index + 3] == 0x6D && bytes[index + 4] == 0x20 {
            while index < end && bytes[index] != 0x0A { index += 1 }
            index = min(end, index + 1)
        }

        while index < end {
            // One physical line [index, lineEnd) and where the next starts.
            var lineEnd = index
            var next = end
            var sawBareLF = false
            while lineEnd < end {
                if bytes[lineEnd] == 0x0A {
                    if crlfMode && (lineEnd == index || bytes[lineEnd - 1] != 0x0D) {
                        // A bare LF in CRLF mail: a line end only if what follows looks like a
                        // new field or a fold; otherwise it is damage inside this line.
                        let after = lineEnd + 1
                        if after < end && (bytes[after] == 0x20 || bytes[after] == 0x09 || looksLikeFieldStart(bytes, after, end)) {
                            next = after
                            sawBareLF = true
                            break
                        }
                        sawBareLF = true
                        lineEnd += 1
                        continue
                    }
                    next = lineEnd + 1
                    break
                }
                lineEnd += 1
            }
            if sawBareLF && !problems.contains("bare-lf") { problems.append("bare-lf") }
            var contentEnd = lineEnd
            if contentEnd > index && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }

            if contentEnd == index {
                // The empty line: the body starts after it.
                finish()
                return Result(headers: headers, bodyStart: next, problems: problems)
            }
            let first = bytes[index]
            if first == 0x20 || first == 0x09 {
                if current != nil {
                    current?.value.append(contentsOf: cleaned(bytes, index..<contentEnd, &problems))
                } else {
                    appendOnce(&problems, "header-continuation-without-field")
                }
            } else if let colon = (index..<contentEnd).first(where: { bytes[$0] == 0x3A }),
                      colon > index,
                      (index..<colon).allSatisfy({ isFieldNameByte(bytes[$0]) || bytes[$0] == 0x20 || bytes[$0] == 0x09 }) {
                finish()
                var nameEnd = colon
                while nameEnd > index && (bytes[nameEnd - 1] == 0x20 || bytes[nameEnd - 1] == 0x09) { nameEnd -= 1 }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<nameEnd]), as: UTF8.self)
                var valueStart = colon + 1
                while valueStart < contentEnd && (bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09) { valueStart += 1 }
                current = (name, cleaned(bytes, valueStart..<contentEnd, &problems))
            } else {
                // Not a header and not a fold: the body has started without its empty line.
                finish()
                appendOnce(&problems, "missing-header-body-separator")
                return Result(headers: headers, bodyStart: index, problems: problems)
            }
            index = next
        }
        finish()
        return Result(headers: headers, bodyStart: end, problems: problems)
    }

    /// Bytes of one line segment without NULs and bare LFs (each reported).
    private static func cleaned(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ problems: inout [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        for i in range {
            let byte = bytes[i]
            if byte == 0 { appendOnce(&problems, "nul-byte"); continue }
            if byte == 0x0A { continue }
            if byte == 0x0D && i + 1 < range.upperBound && bytes[i + 1] == 0x0A { continue }
            out.append(byte)
        }
        return out
    }

    private static func looksLikeFieldStart(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i < end && isFieldNameByte(bytes[i]) { i += 1 }
        return i > start && i < end && bytes[i] == 0x3A
    }

    static func isFieldNameByte(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F && byte != 0x3A }
}

func appendOnce(_ problems: inout [String], _ code: String) {
    if !problems.contains(code) { problems.append(code) }
}
