/// `Authentication-Results` (RFC 8601), believed only from the authserv-id we trust (our own
/// MTA): anyone else can write the header.
public enum AuthenticationResults {
    public struct Result: Equatable, Sendable {
        public var method: String
        public var value: String

        public var text: String { "\(method)=\(value)" }
    }

    /// Every spf/dkim/dmarc result written by `trustedAuthservID`, in order.
    public static func results(_ headers: HeaderBlock, trustedAuthservID: String) -> [Result] {
        let trusted = trustedAuthservID.asciiLowercased
        var results: [Result] = []
        for field in headers.all("authentication-results") {
            let text = HeaderText.raw(field.value)
            let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: " \t\r\n") }
            guard let id = parts.first?.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init)?.asciiLowercased,
                  id == trusted else { continue }
            for part in parts.dropFirst() {
                guard let word = part.split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
                      let equals = word.firstIndex(of: "=") else { continue }
                let method = String(word[..<equals]).asciiLowercased
                let value = String(word[word.index(after: equals)...]).asciiLowercased
                if ["spf", "dkim", "dmarc"].contains(method) { results.append(Result(method: method, value: value)) }
            }
        }
        return results
    }

    /// The results that mean the sender is not who the From says (fail, softfail, permerror).
    public static func failures(_ headers: HeaderBlock, trustedAuthservID: String?) -> [String] {
        guard let trustedAuthservID else { return [] }
        return results(headers, trustedAuthservID: trustedAuthservID)
            .filter { ["fail", "softfail", "permerror"].contains($0.value) }
            .map(\.text)
    }
}
