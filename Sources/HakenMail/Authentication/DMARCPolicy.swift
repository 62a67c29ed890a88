/// DMARC (RFC 7489): the From domain's published policy, and whether a DKIM or SPF pass is
/// aligned with the From domain.
public struct DMARCPolicy: Equatable, Sendable {
    public enum Disposition: String, Sendable { case none, quarantine, reject }

    public var policy: Disposition
    public var subdomainPolicy: Disposition?
    public var relaxedDKIM: Bool
    public var relaxedSPF: Bool
    /// The domain whose `_dmarc` record this is (the From domain or its organisational domain).
    public var recordDomain: String

    /// A record's tags; nil when it is not a DMARC record (RFC 7489 6.6.3: `v=DMARC1` first, a valid `p=`).
    public static func parse(_ record: String, domain: String) -> DMARCPolicy? {
        let trimmed = record.trimmingCharacters(in: " \t")
        guard trimmed.hasPrefix("v=DMARC1"), let version = trimmed.split(separator: ";").first,
              version.trimmingCharacters(in: " \t") == "v=DMARC1" else { return nil }
        let tags = TagList.parse(trimmed)
        guard let policy = tags["p"].flatMap({ Disposition(rawValue: $0.lowercased()) }) else { return nil }
        return DMARCPolicy(policy: policy, subdomainPolicy: tags["sp"].flatMap { Disposition(rawValue: $0.lowercased()) },
                           relaxedDKIM: tags["adkim"]?.lowercased() != "s", relaxedSPF: tags["aspf"]?.lowercased() != "s",
                           recordDomain: domain)
    }

    public enum Lookup: Equatable, Sendable {
        case found(DMARCPolicy)
        case none
        case failed(String)
    }

    /// RFC 7489 6.6.3: `_dmarc.<From domain>`, then `_dmarc.<organisational domain>`.
    public static func lookup(_ fromDomain: String, dns: any DNSLookup, suffixes: PublicSuffixList) async -> Lookup {
        let organisational = suffixes.organisationalDomain(fromDomain)
        for domain in fromDomain == organisational ? [fromDomain] : [fromDomain, organisational] {
            switch await dns.txt("_dmarc.\(domain)") {
            case .failed(let why): return .failed(why)
            case .none: continue
            case .found(let records):
                let policies = records.compactMap { parse($0, domain: domain) }
                if policies.count == 1 { return .found(policies[0]) }
                if policies.count > 1 { return .none }  // several records: as if none (6.6.3)
            }
        }
        return .none
    }

    /// Two domains align: the same, or (relaxed) the same organisational domain.
    public static func aligned(_ a: String, _ b: String, relaxed: Bool, suffixes: PublicSuffixList) -> Bool {
        let x = a.lowercased(), y = b.lowercased()
        if x == y { return true }
        return relaxed && suffixes.organisationalDomain(x) == suffixes.organisationalDomain(y)
    }
}
