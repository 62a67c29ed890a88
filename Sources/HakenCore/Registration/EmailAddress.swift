/// A mailbox address as a person registers it. The domain is case-insensitive and kept
/// lower-cased; the local part is kept as written (legacy docomo addresses such as
/// `a..b.@docomo.ne.jp` are real and must match their mail).
public struct EmailAddress: Hashable, Sendable, Codable, CustomStringConvertible {
    public let localPart: String
    public let domain: String

    public init?(_ text: String) {
        let trimmed = text.trimmingWhitespace
        guard let at = trimmed.lastIndex(of: "@") else { return nil }
        let local = String(trimmed[..<at])
        let domain = String(trimmed[trimmed.index(after: at)...]).lowercased()
        // The domain in ASCII (an internationalised one in its xn-- form, as mail carries it);
        // lengths in code points. openapi.yaml states the same rule as a pattern.
        guard !local.isEmpty, local.unicodeScalars.count <= 64, !domain.isEmpty, domain.unicodeScalars.count <= 253,
              domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
              local.unicodeScalars.allSatisfy({ $0.value > 0x20 && !$0.isInvisibleControl && $0 != "@" && $0 != "<" && $0 != ">" && $0 != "," }),
              domain.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." })
        else { return nil }
        self.localPart = local
        self.domain = domain
    }

    public var address: String { "\(localPart)@\(domain)" }
    public var description: String { address }

    /// The key registered addresses are looked up by: mail providers treat local parts
    /// case-insensitively in practice, so matching does too.
    public var matchKey: String { address.lowercased() }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = EmailAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid mail address"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(address)
    }
}
