import HakenCore

/// `Authentication-Results` (RFC 8601), believed only from the authserv-id we trust (our own
/// MTA): anyone else can write the header, so every other one is ignored.
public enum AuthenticationResults {
    public struct Result: Equatable, Sendable {
        public var method: String
        public var value: String
        /// `header.d`, `header.i`, `smtp.mailfrom`, `header.from`, lower-cased.
        public var properties: [String: String] = [:]

        public var text: String {
            ([ "\(method)=\(value)" ] + properties.keys.sorted().map { "\($0)=\(properties[$0] ?? "")" }).joined(separator: " ")
        }
    }

    /// Every spf/dkim/dmarc result written by `trustedAuthservID`, in order.
    public static func results(_ headers: HeaderBlock, trustedAuthservID: String) -> [Result] {
        let trusted = trustedAuthservID.asciiLowercased
        var results: [Result] = []
        for field in headers.all("authentication-results") {
            let text = withoutComments(HeaderText.raw(field.value))
            let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: " \t\r\n") }
            guard let id = parts.first?.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)?.asciiLowercased,
                  id == trusted else { continue }
            for part in parts.dropFirst() {
                let words = part.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
                guard let word = words.first, let equals = word.firstIndex(of: "=") else { continue }
                let method = String(word[..<equals]).asciiLowercased
                let value = String(word[word.index(after: equals)...]).asciiLowercased
                guard ["spf", "dkim", "dmarc"].contains(method) else { continue }
                var properties: [String: String] = [:]
                for property in words.dropFirst() {
                    guard let eq = property.firstIndex(of: "=") else { continue }
                    let name = String(property[..<eq]).asciiLowercased
                    var value = String(property[property.index(after: eq)...]).asciiLowercased
                    if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                    if ["header.d", "header.i", "smtp.mailfrom", "header.from"].contains(name) { properties[name] = value }
                }
                results.append(Result(method: method, value: value, properties: properties))
            }
        }
        return results
    }

    /// Behind our own MTA: what its results say of the From domain, by the same rule as our
    /// own checks (`SenderVerifier.verdict`). nil when our MTA wrote nothing.
    public static func verdict(_ headers: HeaderBlock, trustedAuthservID: String, fromDomain: String?,
                               suffixes: PublicSuffixList) -> SenderAuthentication? {
        let found = results(headers, trustedAuthservID: trustedAuthservID)
        guard !found.isEmpty else { return nil }
        let texts = found.map(\.text)
        guard let from = fromDomain, !from.isEmpty else {
            return SenderAuthentication(verdict: .fail, results: texts, reason: "From のドメインが読めません")
        }
        if let dmarc = found.first(where: { $0.method == "dmarc" }) {
            if dmarc.value == "pass" { return SenderAuthentication(verdict: .pass, results: texts, reason: "DMARC pass（\(from)）") }
            if dmarc.value == "fail" {
                return SenderAuthentication(verdict: .fail, results: texts, reason: "DMARC fail: \(from) の署名も SPF の合格もありません")
            }
        }
        func domain(_ value: String?) -> String? { value.map { $0.split(separator: "@").last.map(String.init) ?? $0 } }
        let dkim = found.first { result in
            guard result.method == "dkim", result.value == "pass",
                  let d = domain(result.properties["header.d"] ?? result.properties["header.i"]) else { return false }
            return DMARCPolicy.aligned(d, from, relaxed: true, suffixes: suffixes)
        }
        if let dkim { return SenderAuthentication(verdict: .pass, results: texts, reason: "DKIM pass（\(domain(dkim.properties["header.d"] ?? dkim.properties["header.i"]) ?? from)）") }
        let spf = found.first { result in
            guard result.method == "spf", result.value == "pass", let d = domain(result.properties["smtp.mailfrom"]) else { return false }
            return DMARCPolicy.aligned(d, from, relaxed: true, suffixes: suffixes)
        }
        if spf != nil { return SenderAuthentication(verdict: .pass, results: texts, reason: "SPF pass（\(from)）") }
        if found.contains(where: { $0.value == "temperror" }) {
            return SenderAuthentication(verdict: .unverified, results: texts, reason: "受信サーバーが確認を終えられませんでした (temperror)")
        }
        return SenderAuthentication(verdict: .fail, results: texts,
                                    reason: "\(from) に一致する DKIM 署名も SPF の合格もありません")
    }

    /// The text with RFC 5322 comments `( … )` removed (results write reasons in them).
    static func withoutComments(_ text: String) -> String {
        var out = ""
        var depth = 0
        var escaped = false
        for c in text {
            if escaped { escaped = false; if depth == 0 { out.append(c) }; continue }
            switch c {
            case "\\": escaped = true; if depth == 0 { out.append(c) }
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            default: if depth == 0 { out.append(c) }
            }
        }
        return out
    }
}
