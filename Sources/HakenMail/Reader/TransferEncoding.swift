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

    /// The alphabet's values pre-shifted to each of the four positions of a group, so a
    /// group is four loads and three ORs; a byte outside the alphabet sets the top bits.
    private static let shifted: [UInt32] = {
        var tables = [UInt32](repeating: 0xFF00_0000, count: 4 * 256)
        for byte in 0..<256 where table[byte] != 0xFF {
            let value = UInt32(table[byte])
            tables[byte] = value << 18
            tables[256 + byte] = value << 12
            tables[512 + byte] = value << 6
            tables[768 + byte] = value
        }
        return tables
    }()

    /// Decodes into `sink` in chunks, for large attachments. Whole groups of four alphabet
    /// characters go through the pre-shifted tables, two groups per step while the input
    /// allows (the common case: 76-character lines); line breaks, stray bytes and the end
    /// go one byte at a time.
    public static func decode(_ input: UnsafeBufferPointer<UInt8>, into sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        let chunkSize = 48 * 1024
        // One spare byte: a group is stored as four bytes, of which the last is overwritten next.
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + 8, alignment: 8)
        defer { out.deallocate() }
        guard let base = input.baseAddress, let outBase = out.baseAddress else { return }
        var o = 0
        var quad: UInt32 = 0
        var pending = 0
        let count = input.count
        let equals = UInt8(ascii: "=")
        shifted.withUnsafeBufferPointer { tables in
            let t0 = tables.baseAddress!, t1 = t0 + 256, t2 = t0 + 512, t3 = t0 + 768
            var i = 0
            while i < count {
                if pending == 0 {
                    while i + 8 <= count && o < chunkSize {
                        let v = t0[Int(base[i])] | t1[Int(base[i + 1])] | t2[Int(base[i + 2])] | t3[Int(base[i + 3])]
                        let w = t0[Int(base[i + 4])] | t1[Int(base[i + 5])] | t2[Int(base[i + 6])] | t3[Int(base[i + 7])]
                        guard (v | w) < 0x0100_0000 else { break }
                        outBase.storeBytes(of: (v << 8).bigEndian, toByteOffset: o, as: UInt32.self)
                        outBase.storeBytes(of: (w << 8).bigEndian, toByteOffset: o + 3, as: UInt32.self)
                        o += 6
                        i += 8
                    }
                    if o >= chunkSize {
                        sink(UnsafeBufferPointer(start: outBase.assumingMemoryBound(to: UInt8.self), count: o))
                        o = 0
                    }
                    if i + 4 <= count {
                        let v = t0[Int(base[i])] | t1[Int(base[i + 1])] | t2[Int(base[i + 2])] | t3[Int(base[i + 3])]
                        if v < 0x0100_0000 {
                            outBase.storeBytes(of: (v << 8).bigEndian, toByteOffset: o, as: UInt32.self)
                            o += 3
                            i += 4
                            continue
                        }
                    }
                    if i >= count { break }
                }
                let byte = base[i]
                i += 1
                if byte == equals { break }
                let value = table[Int(byte)]
                if value == 0xFF { continue }
                quad = quad << 6 | UInt32(value)
                pending += 1
                if pending == 4 {
                    outBase.storeBytes(of: (quad << 8).bigEndian, toByteOffset: o, as: UInt32.self)
                    o += 3
                    pending = 0
                    quad = 0
                    if o >= chunkSize {
                        sink(UnsafeBufferPointer(start: outBase.assumingMemoryBound(to: UInt8.self), count: o))
                        o = 0
                    }
                }
            }
        }
        // A final group of two or three characters carries one or two bytes.
        if pending == 2 {
            outBase.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 4), toByteOffset: o, as: UInt8.self)
            o += 1
        } else if pending == 3 {
            outBase.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 10), toByteOffset: o, as: UInt8.self)
            outBase.storeBytes(of: UInt8(truncatingIfNeeded: quad >> 2), toByteOffset: o + 1, as: UInt8.self)
            o += 2
        }
        if o > 0 { sink(UnsafeBufferPointer(start: outBase.assumingMemoryBound(to: UInt8.self), count: o)) }
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
