import Foundation

/// Turns bytes in a declared charset into text, the way Japanese mail needs it (see
/// `canonical(_:)`). Never fails: a broken or unknown charset gives best-effort text and a
/// problem code.
public enum Charsets {
    public enum Family: Equatable, Sendable {
        case utf8, ascii, latin1, iso2022jp, cp932, eucjp, utf16le, utf16be, utf16
        /// Anything else iconv knows (windows-1252, gb18030, euc-kr …), by its name.
        case iconv(String)
    }

    public struct Decoded: Equatable, Sendable {
        public var text: String
        /// `charset-decode-error`, `unknown-charset`, … (nil when clean).
        public var problem: String?
    }

    /// Maps the names mailers write to the decoder to use. ISO-2022-JP is read as its
    /// CP50220 superset and Shift_JIS as CP932, because Japanese mailers put ①, ㈱ and ～
    /// in mail labelled with the plain names.
    public static func canonical(_ name: String) -> Family? {
        // Names are ASCII: trimmed, lower-cased and `_` read as `-` by bytes (this runs for
        // every encoded word and every text part).
        let key = StructuredText.string(StructuredText.trimmed(Array(name.utf8)[...], " \t\"'").map { byte -> UInt8 in
            byte == UInt8(ascii: "_") ? UInt8(ascii: "-") : (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        })
        if let family = knownNames[key] { return family }
        return Iconv.decode([UInt8](), from: key) != nil ? .iconv(key) : nil
    }

    private static let knownNames: [String: Family] = {
        var names: [String: Family] = [:]
        func add(_ family: Family, _ list: [String]) { for name in list { names[name] = family } }
        add(.utf8, ["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"])
        add(.ascii, ["us-ascii", "ascii", "ansi-x3.4-1968", "iso646-us", "us", "cp367", "default", ""])
        add(.latin1, ["iso-8859-1", "iso8859-1", "latin1", "l1", "iso-ir-100", "cp819", "ibm819"])
        add(.iso2022jp, ["iso-2022-jp", "csiso2022jp", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3", "iso-2022-jp-ms",
                         "cp50220", "cp50221", "cp50222", "x-iso-2022-jp", "jis"])
        add(.cp932, ["shift-jis", "shift-jis-2004", "sjis", "x-sjis", "s-jis", "ms-kanji", "csshiftjis", "cp932", "windows-31j",
                     "x-ms-cp932", "ms932", "cswindows31j", "shiftjis", "x-shift-jis"])
        add(.eucjp, ["euc-jp", "eucjp", "x-euc-jp", "euc-jp-ms", "eucjp-ms", "cseucpkdfmtjapanese", "euc-jis-2004", "ujis"])
        add(.utf16le, ["utf-16le"])
        add(.utf16be, ["utf-16be"])
        add(.utf16, ["utf-16", "unicode"])
        return names
    }()

    public static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> Decoded {
        guard let charset, !charset.isEmpty else { return decodeUndeclared(bytes) }
        guard let family = canonical(charset) else {
            var result = decodeUndeclared(bytes)
            result.problem = "unknown-charset"
            return result
        }
        return decode(bytes, family: family)
    }

    public static func decode(_ bytes: some Collection<UInt8>, family: Family) -> Decoded {
        switch family {
        case .utf8:
            return utf8(bytes)
        case .ascii:
            // Mail labelled us-ascii often carries 8-bit UTF-8 (or Shift_JIS) anyway.
            if bytes.allSatisfy({ $0 < 0x80 }) { return Decoded(text: String(decoding: bytes, as: UTF8.self), problem: nil) }
            var result = decodeUndeclared(bytes)
            result.problem = "8bit-in-ascii"
            return result
        case .latin1:
            return Decoded(text: String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })), problem: nil)
        case .iso2022jp:
            return ISO2022JP.decode(Array(bytes))
        case .cp932:
            return viaIconv(bytes, "CP932")
        case .eucjp:
            // EUC-JP-MS knows the Windows extensions; plain EUC-JP is the fallback.
            let result = viaIconv(bytes, "EUC-JP-MS")
            return result.problem == nil ? result : viaIconv(bytes, "EUC-JP")
        case .utf16le:
            return foundation(bytes, .utf16LittleEndian)
        case .utf16be:
            return foundation(bytes, .utf16BigEndian)
        case .utf16:
            return foundation(bytes, .utf16)
        case .iconv(let name):
            return viaIconv(bytes, name)
        }
    }

    /// Text with no declared charset: UTF-8 if it is valid UTF-8, else CP932 (what Japanese
    /// mailers send unlabelled), else Latin-1.
    static func decodeUndeclared(_ bytes: some Collection<UInt8>) -> Decoded {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            if bytes.contains(0x1B) { return ISO2022JP.decode(Array(bytes)) }
            return Decoded(text: String(decoding: bytes, as: UTF8.self), problem: nil)
        }
        if let text = String(validating: Array(bytes), as: UTF8.self) { return Decoded(text: text, problem: nil) }
        let sjis = viaIconv(bytes, "CP932")
        if sjis.problem == nil { return sjis }
        return Decoded(text: String(decoding: bytes, as: UTF8.self), problem: "charset-decode-error")
    }

    static func utf8(_ bytes: some Collection<UInt8>) -> Decoded {
        let array = Array(bytes)
        if let text = String(validating: array, as: UTF8.self) { return Decoded(text: text, problem: nil) }
        // Mislabelled Shift_JIS is common from older phones.
        let sjis = viaIconv(array, "CP932")
        if sjis.problem == nil { return Decoded(text: sjis.text, problem: "charset-mismatch") }
        return Decoded(text: String(decoding: array, as: UTF8.self), problem: "charset-decode-error")
    }

    static func viaIconv(_ bytes: some Collection<UInt8>, _ name: String) -> Decoded {
        guard let (text, hadErrors) = Iconv.decode(bytes, from: name) else {
            return Decoded(text: String(decoding: bytes, as: UTF8.self), problem: "unknown-charset")
        }
        return Decoded(text: text, problem: hadErrors ? "charset-decode-error" : nil)
    }

    static func foundation(_ bytes: some Collection<UInt8>, _ encoding: String.Encoding) -> Decoded {
        if let text = String(data: Data(bytes), encoding: encoding) { return Decoded(text: text, problem: nil) }
        return Decoded(text: String(decoding: bytes, as: UTF8.self), problem: "charset-decode-error")
    }
}

/// ISO-2022-JP read as CP50220: JIS X 0208 (with the NEC row 13 and IBM extension rows
/// that CP932 has), JIS-Roman, and half-width katakana by `ESC ( I` or SO/SI. Each
/// two-byte JIS code is mapped to its Shift_JIS position and the whole text decoded as
/// CP932, which covers exactly those extensions.
enum ISO2022JP {
    private enum Mode { case ascii, jis0208, katakana }

    static func decode(_ bytes: [UInt8]) -> Charsets.Decoded {
        // 8-bit bytes with no escapes: Shift_JIS or UTF-8 mislabelled as ISO-2022-JP.
        if !bytes.contains(0x1B) && bytes.contains(where: { $0 >= 0x80 }) {
            var result = Charsets.decodeUndeclared(bytes)
            result.problem = result.problem ?? "charset-mismatch"
            return result
        }
        var sjis: [UInt8] = []
        sjis.reserveCapacity(bytes.count)
        var mode = Mode.ascii
        var shifted = false
        var problem: String?
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x1B {
                if let (newMode, length) = escape(bytes, at: index) {
                    if let newMode { mode = newMode } else { problem = problem ?? "unsupported-iso-2022-jp-set" }
                    index += length
                    continue
                }
                problem = problem ?? "charset-decode-error"
                index += 1
                continue
            }
            if byte == 0x0E { shifted = true; index += 1; continue }
            if byte == 0x0F { shifted = false; index += 1; continue }
            if byte == 0x0A || byte == 0x0D {
                sjis.append(byte)
                index += 1
                continue
            }
            if shifted || mode == .katakana {
                if (0x21...0x5F).contains(byte) {
                    sjis.append(byte + 0x80)
                } else {
                    sjis.append(byte)
                }
                index += 1
                continue
            }
            switch mode {
            case .ascii, .katakana:
                sjis.append(byte)
                index += 1
            case .jis0208:
                guard index + 1 < bytes.count else {
                    problem = problem ?? "charset-decode-error"
                    index += 1
                    continue
                }
                let j1 = byte, j2 = bytes[index + 1]
                if (0x21...0x7E).contains(j1) && (0x21...0x7E).contains(j2) {
                    let s1 = UInt8((Int(j1) + 1) / 2 + (j1 <= 0x5E ? 0x70 : 0xB0))
                    let s2: UInt8 = j1 % 2 == 1 ? j2 + (j2 >= 0x60 ? 0x20 : 0x1F) : j2 + 0x7E
                    sjis.append(s1)
                    sjis.append(s2)
                    index += 2
                } else {
                    problem = problem ?? "charset-decode-error"
                    sjis.append(0x3F)
                    index += 1
                }
            }
        }
        var result = Charsets.viaIconv(sjis, "CP932")
        result.problem = result.problem ?? problem
        return result
    }

    /// The mode an escape sequence selects and its length; a nil mode for a known but
    /// unsupported set (JIS X 0212), nil for no escape at all.
    private static func escape(_ bytes: [UInt8], at index: Int) -> (Mode?, Int)? {
        func at(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        switch (at(1), at(2), at(3)) {
        case (0x28, 0x42, _), (0x28, 0x4A, _), (0x28, 0x48, _): return (.ascii, 3)      // ESC ( B, ESC ( J, ESC ( H
        case (0x28, 0x49, _): return (.katakana, 3)                                      // ESC ( I
        case (0x24, 0x40, _), (0x24, 0x42, _): return (.jis0208, 3)                      // ESC $ @, ESC $ B
        case (0x26, 0x40, _): return (nil, 3)                                            // ESC & @ (JIS C 6226 revision prefix)
        case (0x24, 0x28, 0x44): return (nil, 4)                                         // ESC $ ( D: JIS X 0212
        case (0x24, 0x28, 0x4F), (0x24, 0x28, 0x51), (0x24, 0x28, 0x50): return (.jis0208, 4)  // JIS X 0213 planes
        default: return nil
        }
    }
}
