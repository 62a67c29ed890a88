/// DNS messages (RFC 1035) as the sender checks need them: one question out, the answer
/// section's TXT, A, AAAA and MX records back. The parser is total: a short, looping or
/// lying answer is an error, never a crash.
public enum DNSWire {
    public enum RecordType: UInt16, Sendable {
        case a = 1, mx = 15, txt = 16, aaaa = 28
    }

    public enum Record: Equatable, Sendable {
        case txt(String)
        case a([UInt8])
        case aaaa([UInt8])
        case mx(preference: UInt16, host: String)
    }

    public enum Answer: Equatable, Sendable {
        case records([Record])
        /// NXDOMAIN.
        case noSuchName
        /// The answer did not fit in UDP: ask again over TCP.
        case truncated
        /// SERVFAIL, REFUSED and the like.
        case failed(rcode: Int)
    }

    public enum WireError: Error, Equatable {
        case invalidName, malformed, notOurAnswer
    }

    /// The question, with EDNS(0) asking for answers up to 1232 bytes over UDP (DKIM keys).
    public static func query(id: UInt16, name: String, type: RecordType) throws -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
        out += try encodeName(name)
        out += [UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xFF), 0, 1]
        // OPT pseudo-record: root name, type 41, payload size 1232, no flags, no options.
        out += [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        return out
    }

    static func encodeName(_ name: String) throws -> [UInt8] {
        var trimmed = Substring(name)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty, trimmed.utf8.count <= 253 else { throw WireError.invalidName }
        var out: [UInt8] = []
        for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(label.utf8)
            guard !bytes.isEmpty, bytes.count <= 63,
                  bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw WireError.invalidName }
            out.append(UInt8(bytes.count))
            out += bytes
        }
        out.append(0)
        return out
    }

    /// Reads an answer to the query with `id` for `type`; records of other types (a CNAME on
    /// the way) are skipped.
    public static func parse(_ bytes: [UInt8], id: UInt16, type: RecordType) throws -> Answer {
        var reader = Reader(bytes: bytes)
        let answerID = try reader.u16()
        let flags = try reader.u16()
        guard answerID == id, flags & 0x8000 != 0 else { throw WireError.notOurAnswer }
        if flags & 0x0200 != 0 { return .truncated }
        let rcode = Int(flags & 0x000F)
        let questions = try reader.u16(), answers = try reader.u16()
        _ = try reader.u16(); _ = try reader.u16()
        switch rcode {
        case 0: break
        case 3: return .noSuchName
        default: return .failed(rcode: rcode)
        }
        for _ in 0..<questions {
            _ = try reader.name()
            try reader.skip(4)
        }
        var records: [Record] = []
        for _ in 0..<answers {
            _ = try reader.name()
            let recordType = try reader.u16()
            try reader.skip(6)  // class, TTL
            let length = Int(try reader.u16())
            let start = reader.position
            guard start + length <= bytes.count else { throw WireError.malformed }
            defer { reader.position = start + length }
            guard recordType == type.rawValue else { continue }
            switch type {
            case .a:
                guard length == 4 else { throw WireError.malformed }
                records.append(.a(Array(bytes[start..<start + 4])))
            case .aaaa:
                guard length == 16 else { throw WireError.malformed }
                records.append(.aaaa(Array(bytes[start..<start + 16])))
            case .mx:
                let preference = try reader.u16()
                records.append(.mx(preference: preference, host: try reader.name()))
            case .txt:
                // A record is one or more strings, joined with nothing between (RFC 7208 3.3).
                var text: [UInt8] = []
                var i = start
                while i < start + length {
                    let count = Int(bytes[i])
                    guard i + 1 + count <= start + length else { throw WireError.malformed }
                    text += bytes[(i + 1)..<(i + 1 + count)]
                    i += 1 + count
                }
                records.append(.txt(String(decoding: text, as: UTF8.self)))
            }
        }
        return .records(records)
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func u16() throws -> UInt16 {
            guard position + 2 <= bytes.count else { throw WireError.malformed }
            defer { position += 2 }
            return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
        }

        mutating func skip(_ count: Int) throws {
            guard position + count <= bytes.count else { throw WireError.malformed }
            position += count
        }

        /// A name, following compression pointers (at most 32 of them, so a loop ends).
        mutating func name() throws -> String {
            var labels: [String] = []
            var at = position
            var jumped = false
            var jumps = 0
            while true {
                guard at < bytes.count else { throw WireError.malformed }
                let length = Int(bytes[at])
                if length & 0xC0 == 0xC0 {
                    guard at + 1 < bytes.count, jumps < 32 else { throw WireError.malformed }
                    if !jumped { position = at + 2 }
                    jumped = true
                    jumps += 1
                    at = (length & 0x3F) << 8 | Int(bytes[at + 1])
                    continue
                }
                guard length & 0xC0 == 0 else { throw WireError.malformed }
                if length == 0 {
                    if !jumped { position = at + 1 }
                    break
                }
                guard at + 1 + length <= bytes.count, labels.count < 128 else { throw WireError.malformed }
                labels.append(String(decoding: bytes[(at + 1)..<(at + 1 + length)], as: UTF8.self))
                at += 1 + length
            }
            return labels.joined(separator: ".").lowercased()
        }
    }
}
