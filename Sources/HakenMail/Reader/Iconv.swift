#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOConcurrencyHelpers

/// Decoding through the C library's iconv: Foundation on Linux has no EUC-JP, and iconv's
/// CP932 knows the NEC and IBM extensions Japanese mailers use (①, ㈱, 髙).
enum Iconv {
    /// Decodes `bytes` from `charset` to a String. Undecodable bytes become U+FFFD and are
    /// reported, never fatal. Nil when iconv does not know the charset.
    static func decode(_ bytes: some Collection<UInt8>, from charset: String) -> (text: String, hadErrors: Bool)? {
        guard let cd = checkOut(charset) else { return nil }
        defer { checkIn(cd, charset) }
        var input = Array(bytes)
        var output = [UInt8](repeating: 0, count: max(16, input.count * 4))
        var result: [UInt8] = []
        result.reserveCapacity(input.count * 3 / 2)
        var hadErrors = false
        var offset = 0
        while offset < input.count {
            let consumed: Int
            let produced: Int
            var failed = false
            (consumed, produced, failed) = input.withUnsafeMutableBufferPointer { inBuffer in
                output.withUnsafeMutableBufferPointer { outBuffer in
                    guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return (0, 0, true) }
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase + offset)
                        .assumingMemoryBound(to: CChar.self)
                    var inLeft = inBuffer.count - offset
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = outBuffer.count
                    let rc = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                    let failedNow = rc == -1 && errno != E2BIG
                    return (inBuffer.count - offset - inLeft, outBuffer.count - outLeft, failedNow)
                }
            }
            result.append(contentsOf: output[0..<produced])
            offset += consumed
            if failed {
                // An invalid or truncated sequence: mark it and go on after one byte.
                hadErrors = true
                result.append(contentsOf: [0xEF, 0xBF, 0xBD])
                offset += 1
                _ = iconv(cd, nil, nil, nil, nil)
            } else if consumed == 0 && produced == 0 {
                break
            }
        }
        return (String(decoding: result, as: UTF8.self), hadErrors)
    }

    /// Encodes UTF-8 text into `charset`; nil if iconv cannot.
    static func encode(_ text: String, to charset: String) -> [UInt8]? {
        let cd = iconv_open(charset, "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { _ = iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var produced = 0
        let ok: Bool = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuffer.count
                let rc = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                produced = outBuffer.count - outLeft
                return rc != -1
            }
        }
        return ok ? Array(output.prefix(produced)) : nil
    }

    /// Opening a converter costs far more than converting a subject line, so converters are
    /// kept for reuse: a few per charset, each used by one caller at a time (iconv_t is not
    /// thread-safe). Charsets iconv does not know are remembered too.
    private struct Handle: @unchecked Sendable { let cd: iconv_t }
    private static let pool = NIOLockedValueBox<(idle: [String: [Handle]], unknown: Set<String>)>(([:], []))

    private static func checkOut(_ charset: String) -> iconv_t? {
        let cached: (Handle?, Bool) = pool.withLockedValue { state in
            if state.unknown.contains(charset) { return (nil, true) }
            return (state.idle[charset]?.popLast(), false)
        }
        if cached.1 { return nil }
        if let handle = cached.0 {
            _ = iconv(handle.cd, nil, nil, nil, nil)   // back to the initial shift state
            return handle.cd
        }
        let cd = iconv_open("UTF-8", charset)
        guard cd != iconv_t(bitPattern: -1) else {
            pool.withLockedValue { _ = $0.unknown.insert(charset) }
            return nil
        }
        return cd
    }

    private static func checkIn(_ cd: iconv_t, _ charset: String) {
        let keep = pool.withLockedValue { state -> Bool in
            guard state.idle[charset, default: []].count < 8 else { return false }
            state.idle[charset, default: []].append(Handle(cd: cd))
            return true
        }
        if !keep { _ = iconv_close(cd) }
    }
}
