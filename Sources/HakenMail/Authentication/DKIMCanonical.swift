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

    /// The header fields in order, and the body (a slice of the message: a photo's megabytes
    /// are not copied).
    public static func split(_ message: [UInt8]) -> (fields: [Field], body: ArraySlice<UInt8>) {
        var fields: [Field] = []
        var start = 0
        while start < message.count {
            let newline = message[start...].firstIndex(of: 0x0A) ?? message.count
            var end = newline
            if end > start, message[end - 1] == 0x0D { end -= 1 }
            let line = message[start..<end]
            let next = min(newline + 1, message.count)
            if line.isEmpty { return (fields, message[next...]) }  // the empty line ends the header
            if let first = line.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                fields[fields.count - 1].raw += line + [0x0D, 0x0A]
            } else {
                let name = line.firstIndex(of: UInt8(ascii: ":")).map { String(decoding: line[..<$0], as: UTF8.self) } ?? ""
                fields.append(Field(name: name.trimmingCharacters(in: " \t").lowercased(), raw: Array(line) + [0x0D, 0x0A]))
            }
            start = next
        }
        return (fields, [])
    }

    // MARK: Body

    /// The canonical body, handed to `sink` piece by piece (a hash, or an array in tests): one
    /// pass over the body, no copy of it. Trailing empty lines are held back until a line with
    /// content follows, so they are dropped at the end (RFC 6376 3.4.3, 3.4.4).
    public static func body(_ body: ArraySlice<UInt8>, relaxed: Bool, into sink: (ArraySlice<UInt8>) -> Void) {
        let crlf: [UInt8] = [0x0D, 0x0A]
        var heldEmptyLines = 0
        var wroteLine = false
        var relaxedLine: [UInt8] = []
        var start = body.startIndex
        while start < body.endIndex {
            let newline = body[start...].firstIndex(of: 0x0A) ?? body.endIndex
            var end = newline
            if end > start, body[end - 1] == 0x0D { end -= 1 }
            var line = body[start..<end]
            if relaxed {
                relaxedLine.removeAll(keepingCapacity: true)
                var pendingSpace = false
                for byte in line {
                    if byte == 0x20 || byte == 0x09 {
                        pendingSpace = true
                    } else {
                        if pendingSpace { relaxedLine.append(0x20) }
                        pendingSpace = false
                        relaxedLine.append(byte)
                    }
                }
                line = relaxedLine[...]   // whitespace at the line end is dropped
            }
            if line.isEmpty {
                heldEmptyLines += 1
            } else {
                for _ in 0..<heldEmptyLines { sink(crlf[...]) }
                heldEmptyLines = 0
                sink(line)
                sink(crlf[...])
                wroteLine = true
            }
            start = newline < body.endIndex ? body.index(after: newline) : body.endIndex
        }
        if !wroteLine && !relaxed { sink(crlf[...]) }   // an empty body is one CRLF (simple) or nothing (relaxed)
    }

    /// The canonical body as bytes.
    public static func body(_ body: ArraySlice<UInt8>, relaxed: Bool) -> [UInt8] {
        var out: [UInt8] = []
        self.body(body, relaxed: relaxed) { out += $0 }
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
