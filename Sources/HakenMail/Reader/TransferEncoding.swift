/// Content-Transfer-Encoding decoders, lenient the way mail readers have to be.
public enum Base64 {
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = UInt8(i)
        }
        table[Int(UInt8(ascii: "-"))] = 62   // URL-safe alphabet, seen in the wild
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Skips line breaks and other non-alphabet bytes; stops at padding. In `strict` mode
    /// (encoded words) a byte outside the alphabet makes the word invalid (nil).
    public static func decodeLenient(_ input: some Collection<UInt8>, strict: Bool = false) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            if byte == UInt8(ascii: "=") { break }
            let value = table[Int(byte)]
            if value == 0xFF {
                if strict { return nil }
                continue
            }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    /// Decodes into `sink` in chunks, for large attachments.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>, into sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        var chunk = [UInt8]()
        chunk.reserveCapacity(64 * 1024)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            if byte == UInt8(ascii: "=") { break }
            let value = table[Int(byte)]
            if value == 0xFF { continue }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                chunk.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                if chunk.count == 64 * 1024 {
                    chunk.withUnsafeBufferPointer(sink)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
        }
        if !chunk.isEmpty { chunk.withUnsafeBufferPointer(sink) }
    }
}

public enum QuotedPrintable {
    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Body quoted-printable: soft line breaks (`=` before CRLF or LF, trailing white space
    /// allowed) are removed; a broken `=XY` is kept as written.
    public static func decode(_ input: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(input)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "=") {
                var j = i + 1
                while j < bytes.count && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
                if j < bytes.count && bytes[j] == 0x0D && j + 1 < bytes.count && bytes[j + 1] == 0x0A { i = j + 2; continue }
                if j < bytes.count && bytes[j] == 0x0A { i = j + 1; continue }
                if j == bytes.count { i = j; continue }
                if i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                    output.append(high << 4 | low)
                    i += 3
                    continue
                }
            }
            output.append(byte)
            i += 1
        }
        return output
    }

    /// The Q encoding of RFC 2047: `_` is a space.
    static func decodeWord(_ input: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var i = 0
        while i < input.count {
            let byte = input[i]
            if byte == UInt8(ascii: "_") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "=") {
                guard i + 2 < input.count, let high = hex(input[i + 1]), let low = hex(input[i + 2]) else { return nil }
                output.append(high << 4 | low)
                i += 2
            } else {
                output.append(byte)
            }
            i += 1
        }
        return output
    }
}
