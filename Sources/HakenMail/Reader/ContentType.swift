/// A parsed `Content-Type` or `Content-Disposition`: the value lower-cased, and its
/// parameters with RFC 2231 continuations and charsets assembled, and the common
/// non-standard `name="=?ISO-2022-JP?B?…?="` decoded.
public struct HeaderParameters: Equatable, Sendable {
    public var value: String
    public var parameters: [String: String]
    public var problems: [String]

    public subscript(name: String) -> String? { parameters[name.asciiLowercased] }

    /// `type/subtype` without parameters; `text/plain` when absent or broken (RFC 2045 §5.2).
    public var mimeType: String {
        value.utf8.split(separator: UInt8(ascii: "/")).count == 2 ? value : "text/plain"
    }

    public static func parse(_ raw: String) -> HeaderParameters {
        var problems: [String] = []
        let bytes = Array(raw.utf8)
        let semicolon = UInt8(ascii: ";")
        let pieces = StructuredText.splitTopLevel(bytes[...], separators: (semicolon, semicolon))
        let value = StructuredText.lowercased(StructuredText.trimmed(StructuredText.stripComments(pieces[0])[...], " \t\""))
        var simple: [String: String] = [:]
        var extended: [String: [(index: Int, encoded: Bool, text: String)]] = [:]
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: UInt8(ascii: "=")) else { continue }
            var name = StructuredText.lowercased(StructuredText.trimmed(piece[..<equals]))
            let rest = StructuredText.trimmed(piece[(equals + 1)...])
            let text = rest.first == StructuredText.quote ? StructuredText.string(StructuredText.unquote(rest))
                                                          : StructuredText.string(StructuredText.trimmed(StructuredText.stripComments(rest)[...]))
            guard !name.isEmpty else { continue }
            let encoded = name.hasSuffix("*")
            if encoded { name.removeLast() }
            if let star = name.lastIndex(of: "*"), let index = Int(name[name.index(after: star)...]) {
                extended[String(name[..<star]), default: []].append((index, encoded, text))
            } else if encoded {
                extended[name, default: []].append((0, true, text))
            } else if simple[name] == nil {
                simple[name] = text
            }
        }
        var parameters: [String: String] = [:]
        for (name, text) in simple {
            let decoded = EncodedWords.decode(text)   // text without a word comes back as it is
            parameters[name] = decoded.text
            problems += decoded.problems
        }
        // RFC 2231 wins over a plain parameter of the same name: it is the precise one.
        for (name, segments) in extended {
            var charset: String?
            var bytes: [UInt8] = []
            for (position, segment) in segments.sorted(by: { $0.index < $1.index }).enumerated() {
                var text = segment.text
                if segment.encoded && position == 0 {
                    let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 {
                        charset = String(parts[0])
                        text = String(parts[2])
                    }
                }
                bytes += segment.encoded ? percentDecode(text) : Array(text.utf8)
            }
            let decoded = Charsets.decode(bytes, charset: charset ?? "utf-8")
            if let problem = decoded.problem { appendOnce(&problems, problem) }
            parameters[name] = decoded.text
        }
        return HeaderParameters(value: value, parameters: parameters, problems: problems)
    }

    static func percentDecode(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let high = QuotedPrintable.hex(bytes[i + 1]), let low = QuotedPrintable.hex(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        let scalars = Set(set.unicodeScalars)
        let view = String(self).unicodeScalars
        guard let first = view.firstIndex(where: { !scalars.contains($0) }),
              let last = view.lastIndex(where: { !scalars.contains($0) }) else { return "" }
        return String(view[first...last])
    }
}
