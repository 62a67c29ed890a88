import Crypto
import _CryptoExtras
import Foundation

/// DKIM verification (RFC 6376; ed25519-sha256 from RFC 8463): every DKIM-Signature of a
/// message (at most five) checked against the key its domain publishes.
/// Refused as insecure or obsolete: `l=` (a signature over part of the body lets anyone
/// append text) and rsa-sha1.
public struct DKIMVerifier: Sendable {
    public struct Result: Equatable, Sendable {
        public enum Outcome: String, Sendable { case pass, fail, neutral, temperror, permerror }
        public var outcome: Outcome
        /// The signing domain (`d=`), when the signature could be read.
        public var domain: String?
        public var selector: String?
        public var reason: String

        /// `dkim=pass header.d=example.jp header.s=sel`, as Authentication-Results writes it.
        public var text: String {
            var parts = ["dkim=\(outcome.rawValue)"]
            if let domain { parts.append("header.d=\(domain)") }
            if let selector { parts.append("header.s=\(selector)") }
            if outcome != .pass { parts.append("(\(reason))") }
            return parts.joined(separator: " ")
        }
    }

    let dns: any DNSLookup
    /// Signatures past their `x=` are not valid; `now` in seconds since 1970.
    let now: @Sendable () -> Int64

    public init(dns: any DNSLookup, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.dns = dns
        self.now = now
    }

    public static let maxSignatures = 5

    public func verify(_ message: [UInt8]) async -> [Result] {
        let (fields, body) = DKIMCanonical.split(message)
        var results: [Result] = []
        for field in fields where field.name == "dkim-signature" {
            if results.count == Self.maxSignatures { break }
            results.append(await verify(field, fields: fields, body: body))
        }
        return results
    }

    func verify(_ field: DKIMCanonical.Field, fields: [DKIMCanonical.Field], body: ArraySlice<UInt8>) async -> Result {
        let signature: DKIMSignature
        switch DKIMSignature.parse(field.raw) {
        case .success(let parsed): signature = parsed
        case .failure(let problem): return Result(outcome: .permerror, domain: nil, selector: nil, reason: problem.reason)
        }
        func result(_ outcome: Result.Outcome, _ reason: String) -> Result {
            Result(outcome: outcome, domain: signature.domain, selector: signature.selector, reason: reason)
        }
        if signature.bodyLength != nil { return result(.permerror, "l= (body length) is not accepted") }
        if let expires = signature.expires, expires < now() { return result(.fail, "signature expired") }

        var hasher = SHA256()
        DKIMCanonical.body(body, relaxed: signature.bodyRelaxed) { hasher.update(data: $0) }
        let bodyHash = Data(hasher.finalize())
        guard bodyHash == signature.bodyHash else { return result(.fail, "body hash did not verify") }

        // RFC 6376 5.4.2: each name in h= takes the last field of that name not yet used.
        var used: [String: Int] = [:]
        var hashed: [UInt8] = []
        for name in signature.signedHeaders {
            let matching = fields.filter { $0.name == name && $0.raw != field.raw }
            let count = used[name, default: 0]
            if count < matching.count {
                hashed += DKIMCanonical.header(matching[matching.count - 1 - count].raw, relaxed: signature.headerRelaxed)
            }
            used[name] = count + 1
        }
        hashed += DKIMCanonical.signatureField(field.raw, relaxed: signature.headerRelaxed)
        let digest = SHA256.hash(data: hashed)

        let key: DKIMKey
        switch await dns.txt("\(signature.selector)._domainkey.\(signature.domain)") {
        case .failed(let why): return result(.temperror, "key lookup: \(why)")
        case .none: return result(.permerror, "no key for \(signature.selector)._domainkey.\(signature.domain)")
        case .found(let records):
            guard records.count == 1 else { return result(.permerror, "\(records.count) key records") }
            switch DKIMKey.parse(records[0]) {
            case .success(let parsed): key = parsed
            case .failure(let problem): return result(.permerror, problem.reason)
            }
        }
        guard !key.publicKey.isEmpty else { return result(.fail, "key revoked") }
        if key.strictIdentity, let identity = signature.identityDomain, identity != signature.domain {
            return result(.fail, "i= differs from d= under t=s")
        }
        switch (signature.algorithm, key.kind) {
        case (.rsaSHA256, .rsa):
            guard let publicKey = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: key.publicKey) else {
                return result(.permerror, "unreadable RSA key")
            }
            let valid = publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature.signature), for: digest,
                                                   padding: .insecurePKCS1v1_5)
            return valid ? result(.pass, "") : result(.fail, "signature did not verify")
        case (.ed25519SHA256, .ed25519):
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey) else {
                return result(.permerror, "unreadable ed25519 key")
            }
            let valid = publicKey.isValidSignature(signature.signature, for: Data(digest))
            return valid ? result(.pass, "") : result(.fail, "signature did not verify")
        default:
            return result(.permerror, "key type does not match a=")
        }
    }
}

/// The tags of a DKIM-Signature field (RFC 6376 3.5).
public struct DKIMSignature: Equatable, Sendable {
    public enum Algorithm: Equatable, Sendable { case rsaSHA256, ed25519SHA256 }
    public struct Problem: Error, Equatable { public var reason: String }

    public var algorithm: Algorithm
    public var signature: Data
    public var bodyHash: Data
    public var headerRelaxed: Bool
    public var bodyRelaxed: Bool
    public var domain: String
    public var selector: String
    public var signedHeaders: [String]
    public var identityDomain: String?
    public var bodyLength: Int?
    public var expires: Int64?

    public static func parse(_ raw: [UInt8]) -> Result<DKIMSignature, Problem> {
        let text = String(decoding: raw, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return .failure(Problem(reason: "no value")) }
        let tags = TagList.parse(String(text[text.index(after: colon)...]))
        func fail(_ reason: String) -> Result<DKIMSignature, Problem> { .failure(Problem(reason: reason)) }
        guard tags["v"] == "1" else { return fail("v= is not 1") }
        let algorithm: Algorithm
        switch tags["a"]?.lowercased() {
        case "rsa-sha256": algorithm = .rsaSHA256
        case "ed25519-sha256": algorithm = .ed25519SHA256
        case "rsa-sha1": return fail("rsa-sha1 is not accepted")
        default: return fail("unknown algorithm")
        }
        guard let b = tags["b"].flatMap(TagList.base64), !b.isEmpty,
              let bh = tags["bh"].flatMap(TagList.base64), !bh.isEmpty else { return fail("b= or bh= missing or not base64") }
        guard let domain = tags["d"]?.lowercased(), !domain.isEmpty, let selector = tags["s"]?.lowercased(), !selector.isEmpty else {
            return fail("d= or s= missing")
        }
        guard let h = tags["h"] else { return fail("h= missing") }
        let headers = h.split(separator: ":").map { $0.trimmingCharacters(in: " \t\r\n").lowercased() }.filter { !$0.isEmpty }
        guard headers.contains("from") else { return fail("From is not signed") }
        let canonical = (tags["c"] ?? "simple/simple").lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(canonical.count), canonical.allSatisfy({ $0 == "simple" || $0 == "relaxed" }) else {
            return fail("unknown canonicalisation")
        }
        var identity: String?
        if let i = tags["i"] {
            guard let at = i.lastIndex(of: "@") else { return fail("i= has no @") }
            let idDomain = i[i.index(after: at)...].lowercased()
            guard idDomain == domain || idDomain.hasSuffix("." + domain) else { return fail("i= is not within d=") }
            identity = idDomain
        }
        var length: Int?
        if let l = tags["l"] {
            guard let value = Int(l), value >= 0 else { return fail("l= unreadable") }
            length = value
        }
        var expires: Int64?
        if let x = tags["x"] {
            guard let value = Int64(x) else { return fail("x= unreadable") }
            if let t = tags["t"].flatMap({ Int64($0) }), value < t { return fail("x= before t=") }
            expires = value
        }
        return .success(DKIMSignature(
            algorithm: algorithm, signature: b, bodyHash: bh, headerRelaxed: canonical[0] == "relaxed",
            bodyRelaxed: canonical.count == 2 && canonical[1] == "relaxed", domain: domain, selector: selector,
            signedHeaders: headers, identityDomain: identity, bodyLength: length, expires: expires))
    }
}

/// A DKIM key record (RFC 6376 3.6.1).
public struct DKIMKey: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case rsa, ed25519 }
    public var kind: Kind
    /// Empty: the key was revoked.
    public var publicKey: Data
    public var strictIdentity: Bool

    public static func parse(_ record: String) -> Result<DKIMKey, DKIMSignature.Problem> {
        let tags = TagList.parse(record)
        func fail(_ reason: String) -> Result<DKIMKey, DKIMSignature.Problem> { .failure(.init(reason: reason)) }
        if let v = tags["v"], v != "DKIM1" { return fail("key record v= is not DKIM1") }
        let kind: Kind
        switch (tags["k"] ?? "rsa").lowercased() {
        case "rsa": kind = .rsa
        case "ed25519": kind = .ed25519
        default: return fail("unknown key type")
        }
        if let h = tags["h"], !h.lowercased().split(separator: ":").contains(where: { $0.trimmingCharacters(in: " ") == "sha256" }) {
            return fail("key does not allow sha256")
        }
        guard let p = tags["p"] else { return fail("key record has no p=") }
        guard let key = TagList.base64(p) else { return fail("p= is not base64") }
        let flags = (tags["t"] ?? "").split(separator: ":").map { $0.trimmingCharacters(in: " ") }
        return .success(DKIMKey(kind: kind, publicKey: key, strictIdentity: flags.contains("s")))
    }
}

/// `tag=value; tag=value` (RFC 6376 3.2), as DKIM-Signature fields, key records and DMARC
/// records write them. Later duplicates are ignored.
enum TagList {
    static func parse(_ text: String) -> [String: String] {
        var tags: [String: String] = [:]
        for part in text.split(separator: ";") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let name = part[..<equals].trimmingCharacters(in: " \t\r\n").lowercased()
            let value = part[part.index(after: equals)...].trimmingCharacters(in: " \t\r\n")
            if !name.isEmpty, tags[name] == nil { tags[name] = value }
        }
        return tags
    }

    /// Base64 with folding whitespace anywhere in it.
    static func base64(_ text: String) -> Data? {
        let compact = text.filter { !" \t\r\n".contains($0) }
        return Data(base64Encoded: compact)
    }
}
