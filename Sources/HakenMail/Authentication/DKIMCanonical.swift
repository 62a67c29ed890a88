/// RFC 6376 3.4: the two canonicalisations of header fields and body, over the bytes as
/// stored. A bare LF is read as CRLF first (a message saved with Unix line ends verifies
/// the same as the one that was signed).
public enum DKIMCanonical {
    /// One header field as it stands in the message: its name and the whole field, folding
    /// and final CRLF included.
    public struct Field: Sendable {
        public var name: String
        public var raw: [UInt8]
    }

    /// The header fields in order, and the body.
    public static func split(_ message: [UInt8]) -> (fields: [Field], body: [UInt8]) {
        let lines = crlfLines(message)
        var fields: [Field] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if line.isEmpty { index += 1; break }  // the empty line ends the header
            if let first = line.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                fields[fields.count - 1].raw += line + [0x0D, 0x0A]
            } else {
                let name = line.firstIndex(of: UInt8(ascii: ":")).map { String(decoding: line[..<$0], as: UTF8.self) } ?? ""
                fields.append(Field(name: name.trimmingCharacters(in: " \t").lowercased(), raw: line + [0x0D, 0x0A]))
            }
            index += 1
        }
        var body: [UInt8] = []
        if index < lines.count {
            body.reserveCapacity(message.count)
            for line in lines[index...] { body += line; body += [0x0D, 0x0A] }
            // The last line had no line end in the message: do not invent one.
            if let last = message.last, last != 0x0A { body.removeLast(2) }
        }
        return (fields, body)
    }

    /// Lines without their line ends (CRLF or a bare LF).
    static func crlfLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                var end = i
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                lines.append(Array(bytes[start..<end]))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }

    // MARK: Body

    public static func body(_ body: [UInt8], relaxed: Bool) -> [UInt8] {
        var lines = crlfLines(body)
        if relaxed {
            lines = lines.map { line in
                var out: [UInt8] = []
                out.reserveCapacity(line.count)
                var pendingSpace = false
                for byte in line {
                    if byte == 0x20 || byte == 0x09 {
                        pendingSpace = true
                    } else {
                        if pendingSpace { out.append(0x20) }
                        pendingSpace = false
                        out.append(byte)
                    }
                }
                return out  // whitespace at the line end is dropped
            }
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        if lines.isEmpty { return relaxed ? [] : [0x0D, 0x0A] }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 2)
        for line in lines { out += line; out += [0x0D, 0x0A] }
        return out
    }

    // MARK: Header fields

    /// A field canonicalised, with its CRLF.
    public static func header(_ field: [UInt8], relaxed: Bool) -> [UInt8] {
        guard relaxed else { return field }
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return field }
        var name = Array(field[..<colon])
        while let last = name.last, last == 0x20 || last == 0x09 { name.removeLast() }
        var out = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        out.append(UInt8(ascii: ":"))
        var value: [UInt8] = []
        var pendingSpace = false
        for byte in field[(colon + 1)...] where byte != 0x0D && byte != 0x0A {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = true
            } else {
                if pendingSpace && !value.isEmpty { value.append(0x20) }
                pendingSpace = false
                value.append(byte)
            }
        }
        return out + value + [0x0D, 0x0A]
    }

    /// The DKIM-Signature field itself as it is hashed: the value of its `b=` tag emptied,
    /// canonicalised, without the final CRLF (RFC 6376 3.7).
    public static func signatureField(_ field: [UInt8], relaxed: Bool) -> [UInt8] {
        var canonical = header(withoutSignatureValue(field), relaxed: relaxed)
        if canonical.count >= 2, canonical[canonical.count - 2] == 0x0D, canonical[canonical.count - 1] == 0x0A {
            canonical.removeLast(2)
        }
        return canonical
    }

    /// The field with everything between `b=` and the next `;` (or the end) removed.
    static func withoutSignatureValue(_ field: [UInt8]) -> [UInt8] {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return field }
        var i = colon + 1
        var tagStart = i
        while i <= field.count {
            if i == field.count || field[i] == UInt8(ascii: ";") {
                let tag = field[tagStart..<i]
                if let equals = tag.firstIndex(of: UInt8(ascii: "=")) {
                    let name = tag[tagStart..<equals].filter { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
                    if name == [UInt8(ascii: "b")] {
                        var out = Array(field[...equals])
                        // Keep the field's final CRLF when the tag ran to the end.
                        let tail = field[i...]
                        if i == field.count, field.count >= 2, field[field.count - 2] == 0x0D { out += [0x0D, 0x0A] }
                        out += tail
                        return out
                    }
                }
                tagStart = i + 1
            }
            i += 1
        }
        return field
    }
}
