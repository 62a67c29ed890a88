import Foundation
import HakenCore
import Testing
@testable import HakenMail

/// A zone in memory: the DNS answers a test needs (the real client is tested against a real
/// DNS server in scripts/sender_auth.py). Names listed in `failing` time out.
struct ZoneDNS: DNSLookup {
    var txt: [String: [String]] = [:]
    var a: [String: [String]] = [:]
    var aaaa: [String: [String]] = [:]
    var mx: [String: [String]] = [:]
    var failing: Set<String> = []

    func lookup(_ name: String, _ type: DNSWire.RecordType) async -> DNSResult<[DNSWire.Record]> {
        let key = name.lowercased()
        if failing.contains(key) { return .failed("timeout") }
        let records: [DNSWire.Record]
        switch type {
        case .txt: records = (txt[key] ?? []).map { .txt($0) }
        case .a: records = (a[key] ?? []).compactMap { IPAddress($0).map { .a($0.bytes) } }
        case .aaaa: records = (aaaa[key] ?? []).compactMap { IPAddress($0).map { .aaaa($0.bytes) } }
        case .mx: records = (mx[key] ?? []).enumerated().map { .mx(preference: UInt16($0.offset * 10), host: $0.element) }
        }
        return records.isEmpty ? .none : .found(records)
    }
}

@Suite struct SenderAuthenticationTests {
    static let folder = CorpusTests.corpus.appendingPathComponent("dkim")

    static func zone() throws -> ZoneDNS {
        var dns = ZoneDNS()
        let text = try String(contentsOf: folder.appendingPathComponent("zone.txt"), encoding: .utf8)
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if parts.count == 2 { dns.txt[parts[0], default: []].append(parts[1]) }
        }
        return dns
    }

    static func mail(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }

    static let expected: [(String, String)] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }()

    @Test("#12: DKIM results agree with dkimpy's signatures (RFC 6376, RFC 8463)", arguments: expected.map(\.0))
    func dkimFixtures(name: String) async throws {
        let want = Self.expected.first { $0.0 == name }?.1 ?? "?"
        let results = await DKIMVerifier(dns: try Self.zone()).verify(try Self.mail(name))
        let got = results.map { "\($0.outcome.rawValue) \($0.domain ?? "")" }.joined(separator: ",")
        #expect(got == want, "\(name): \(results.map(\.text))")
    }

    @Test("#12: a signature past its x= expiry does not pass")
    func expiredSignature() async throws {
        var raw = String(decoding: try Self.mail("rsa-relaxed.eml"), as: UTF8.self)
        raw = raw.replacingOccurrences(of: "q=dns/txt;", with: "q=dns/txt; x=1;")
        let results = await DKIMVerifier(dns: try Self.zone()).verify(Array(raw.utf8))
        #expect(results.first?.outcome == .fail || results.first?.outcome == .permerror)
    }

    @Test("#12: a key that cannot be fetched is a temperror, not a fail")
    func keyLookupTimesOut() async throws {
        var dns = try Self.zone()
        dns.failing = ["sel2019._domainkey.basona.example.jp"]
        let results = await DKIMVerifier(dns: dns).verify(try Self.mail("rsa-relaxed.eml"))
        #expect(results.map(\.outcome) == [.temperror])
    }

    @Test("#12: canonicalisation as RFC 6376 3.4 shows it")
    func canonicalisation() {
        // RFC 6376 3.4.5's example.
        let field = Array("SUBJect: AbC\r\n".utf8)
        #expect(String(decoding: DKIMCanonical.header(field, relaxed: true), as: UTF8.self) == "subject:AbC\r\n")
        let folded = Array("A : X\r\n Y  \t Z  \r\n".utf8)
        #expect(String(decoding: DKIMCanonical.header(folded, relaxed: true), as: UTF8.self) == "a:X Y Z\r\n")
        let body = Array(" C \r\nD \t E\r\n\r\n\r\n".utf8)[...]
        #expect(String(decoding: DKIMCanonical.body(body, relaxed: true), as: UTF8.self) == " C\r\nD E\r\n")
        #expect(String(decoding: DKIMCanonical.body(body, relaxed: false), as: UTF8.self) == " C \r\nD \t E\r\n")
        #expect(String(decoding: DKIMCanonical.body(Array(" \r\n\r\nX".utf8)[...], relaxed: true), as: UTF8.self) == "\r\n\r\nX\r\n")
        #expect(String(decoding: DKIMCanonical.body(Array("A\n\n \n".utf8)[...], relaxed: false), as: UTF8.self) == "A\r\n\r\n \r\n")
        #expect(DKIMCanonical.split(Array("A: 1\r\n\r\n".utf8)).body.isEmpty)
        #expect(DKIMCanonical.body([], relaxed: false) == [0x0D, 0x0A])
        #expect(DKIMCanonical.body([], relaxed: true) == [])
        let signature = Array("DKIM-Signature: v=1; b=abc\r\n def; bh=xyz\r\n".utf8)
        #expect(String(decoding: DKIMCanonical.signatureField(signature, relaxed: true), as: UTF8.self) == "dkim-signature:v=1; b=; bh=xyz")
    }

    // MARK: SPF

    static let client = IPAddress("192.0.2.10")!

    static func spfZone() -> ZoneDNS {
        var dns = ZoneDNS()
        dns.txt["basona.example.jp"] = ["v=spf1 ip4:192.0.2.0/24 -all", "google-site-verification=x"]
        dns.txt["soft.example"] = ["v=spf1 ip4:198.51.100.1 ~all"]
        dns.txt["neutral.example"] = ["v=spf1 ?all"]
        dns.txt["include.example"] = ["v=spf1 include:basona.example.jp -all"]
        dns.txt["redirect.example"] = ["v=spf1 redirect=basona.example.jp"]
        dns.txt["amx.example"] = ["v=spf1 a/28 mx:mail.amx.example -all"]
        dns.a["amx.example"] = ["192.0.2.1"]
        dns.mx["mail.amx.example"] = ["mx1.amx.example"]
        dns.a["mx1.amx.example"] = ["203.0.113.5"]
        dns.txt["exists.example"] = ["v=spf1 exists:%{i}._spf.exists.example -all"]
        dns.a["192.0.2.10._spf.exists.example"] = ["127.0.0.2"]
        dns.txt["two.example"] = ["v=spf1 -all", "v=spf1 +all"]
        dns.txt["bad.example"] = ["v=spf1 ip4:192.0.2.300 -all"]
        dns.txt["six.example"] = ["v=spf1 ip6:2001:db8::/32 -all"]
        // A chain of includes longer than 10 DNS-querying terms.
        for i in 0..<12 { dns.txt["loop\(i).example"] = ["v=spf1 include:loop\(i + 1).example -all"] }
        dns.txt["loop12.example"] = ["v=spf1 +all"]
        dns.txt["void.example"] = ["v=spf1 a:n1.void.example a:n2.void.example a:n3.void.example +all"]
        dns.txt["slow-include.example"] = ["v=spf1 include:slow.example -all"]
        dns.failing = ["slow.example"]
        return dns
    }

    @Test("#12: SPF results for the envelope sender (RFC 7208)", arguments: [
        ("info@basona.example.jp", "pass"), ("x@soft.example", "softfail"), ("x@neutral.example", "neutral"),
        ("x@include.example", "pass"), ("x@redirect.example", "pass"), ("x@amx.example", "pass"),
        ("x@exists.example", "pass"), ("x@two.example", "permerror"), ("x@bad.example", "permerror"),
        ("x@nothing.example", "none"), ("x@loop0.example", "permerror"), ("x@void.example", "permerror"),
        ("x@slow-include.example", "temperror"), ("x@slow.example", "temperror"), ("x@six.example", "fail"),
    ])
    func spf(sender: String, outcome: String) async {
        let result = await SPFChecker(dns: Self.spfZone()).check(ip: Self.client, sender: sender, helo: "phone.example")
        #expect(result.outcome.rawValue == outcome, "\(sender): \(result.text)")
    }

    @Test("#12: SPF fails a client outside the record, and reads IPv6 and mapped addresses")
    func spfAddresses() async {
        let checker = SPFChecker(dns: Self.spfZone())
        #expect(await checker.check(ip: IPAddress("203.0.113.9")!, sender: "a@basona.example.jp", helo: "h").outcome == .fail)
        #expect(await checker.check(ip: IPAddress("::ffff:192.0.2.10")!, sender: "a@basona.example.jp", helo: "h").outcome == .pass)
        #expect(await checker.check(ip: IPAddress("2001:db8::5")!, sender: "a@six.example", helo: "h").outcome == .pass)
        #expect(await checker.check(ip: IPAddress("2001:db9::5")!, sender: "a@six.example", helo: "h").outcome == .fail)
        #expect(SPFChecker.cidr("/24//64")! == (24, 64))
        #expect(SPFChecker.cidr("/33") == nil)
    }

    // MARK: DMARC and the verdict

    static func world() throws -> ZoneDNS {
        var dns = try zone()
        dns.txt["_dmarc.basona.example.jp"] = ["v=DMARC1; p=reject; rua=mailto:d@basona.example.jp"]
        dns.txt["basona.example.jp"] = ["v=spf1 ip4:192.0.2.0/24 -all"]
        dns.txt["evil.example"] = ["v=spf1 ip4:198.51.100.0/24 -all"]
        dns.txt["nopolicy.example.jp"] = ["v=spf1 ip4:192.0.2.0/24 -all"]
        return dns
    }

    static func verify(_ name: String, from: String = "basona.example.jp", client: String? = "203.0.113.50",
                       mailFrom: String = "info@basona.example.jp", dns: ZoneDNS? = nil) async throws -> SenderAuthentication {
        let verifier = SenderVerifier(dns: try dns ?? world(), suffixes: PublicSuffixList(text: PublicSuffixList.builtIn))
        return await verifier.verify(try mail(name), fromDomain: from, connection: .init(clientAddress: client, helo: "phone", mailFrom: mailFrom))
    }

    @Test("#12: an aligned DKIM pass vouches for the From domain")
    func alignedSignaturePasses() async throws {
        let result = try await Self.verify("rsa-relaxed.eml")
        #expect(result.verdict == .pass)
        #expect(result.results.first == "dmarc=pass header.from=basona.example.jp (p=reject)")
    }

    @Test("#12: a replayed signed mail with a changed Subject fails")
    func replayedSubjectFails() async throws {
        let result = try await Self.verify("replayed-subject.eml")
        #expect(result.verdict == .fail)
        #expect(result.reason.contains("DMARC 不合格"))
    }

    @Test("#12: a forged From with a valid signature of another domain fails")
    func forgedFromFails() async throws {
        let result = try await Self.verify("forged-from.eml", client: "198.51.100.7", mailFrom: "bounce@evil.example")
        #expect(result.verdict == .fail)
        #expect(result.reason.contains("別のドメイン（evil.example）"))
        // Without a DMARC record the rule is the same: SPF for evil.example says nothing of the From.
        let noPolicy = try await Self.verify("forged-from.eml", from: "nopolicy.example.jp", client: "198.51.100.7", mailFrom: "bounce@evil.example")
        #expect(noPolicy.verdict == .fail)
    }

    @Test("#12: an unsigned mail passes on an aligned SPF pass, fails on softfail or fail")
    func spfAlone() async throws {
        #expect(try await Self.verify("unsigned.eml", client: "192.0.2.10").verdict == .pass)
        #expect(try await Self.verify("unsigned.eml", client: "203.0.113.50").verdict == .fail)
        var dns = try Self.world()
        dns.txt["basona.example.jp"] = ["v=spf1 ~all"]
        let soft = try await Self.verify("unsigned.eml", client: "192.0.2.10", dns: dns)
        #expect(soft.verdict == .fail)
        #expect(soft.results.contains { $0.hasPrefix("spf=softfail") })
        // A subdomain's envelope aligns with the organisational domain (relaxed).
        dns.txt["bounce.basona.example.jp"] = ["v=spf1 ip4:192.0.2.10 -all"]
        #expect(try await Self.verify("unsigned.eml", client: "192.0.2.10", mailFrom: "b@bounce.basona.example.jp", dns: dns).verdict == .pass)
    }

    @Test("#12: DNS that does not answer leaves the mail unverified, not failed")
    func dnsTimeoutIsUnverified() async throws {
        var dns = try Self.world()
        dns.failing = ["sel2019._domainkey.basona.example.jp", "_dmarc.basona.example.jp", "basona.example.jp"]
        let result = try await Self.verify("rsa-relaxed.eml", dns: dns)
        #expect(result.verdict == .unverified)
        // One good path is enough: DKIM answers although SPF does not.
        dns.failing = ["basona.example.jp"]
        #expect(try await Self.verify("rsa-relaxed.eml", dns: dns).verdict == .pass)
    }

    @Test("#12: the organisational domain follows the public suffix rules")
    func organisationalDomain() {
        let builtIn = PublicSuffixList(text: PublicSuffixList.builtIn)
        #expect(builtIn.organisationalDomain("mail.basona.co.jp") == "basona.co.jp")
        #expect(builtIn.organisationalDomain("docomo.ne.jp") == "docomo.ne.jp")
        #expect(builtIn.organisationalDomain("a.b.example.com") == "example.com")
        #expect(builtIn.organisationalDomain("jp") == "jp")
        let rules = PublicSuffixList(text: "jp\n*.kawasaki.jp\n!city.kawasaki.jp\n")
        #expect(rules.organisationalDomain("www.shop.nakahara.kawasaki.jp") == "shop.nakahara.kawasaki.jp")
        #expect(rules.organisationalDomain("www.city.kawasaki.jp") == "city.kawasaki.jp")
        #expect(!DMARCPolicy.aligned("a.co.jp", "b.co.jp", relaxed: true, suffixes: builtIn))
        #expect(DMARCPolicy.aligned("mail.b.co.jp", "b.co.jp", relaxed: true, suffixes: builtIn))
        #expect(!DMARCPolicy.aligned("mail.b.co.jp", "b.co.jp", relaxed: false, suffixes: builtIn))
    }

    // MARK: DNS messages

    static func answer(id: UInt16, flags: UInt16 = 0x8180, name: [UInt8], records: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), UInt8(flags >> 8), UInt8(flags & 0xFF), 0, 1,
                            0, UInt8(records.count), 0, 0, 0, 0]
        out += name + [0, 16, 0, 1]
        for record in records { out += record }
        return out
    }

    @Test("#12: DNS answers are read with compression, and nothing malformed crashes")
    func dnsWire() throws {
        let name = try DNSWire.encodeName("sel._domainkey.example.jp")
        // TXT in two strings, the owner a pointer to the question's name (offset 12).
        let txt: [UInt8] = [0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 8, 3] + Array("abc".utf8) + [3] + Array("def".utf8)
        #expect(try DNSWire.parse(Self.answer(id: 7, name: name, records: [txt]), id: 7, type: .txt) == .records([.txt("abcdef")]))
        #expect(try DNSWire.parse(Self.answer(id: 7, flags: 0x8183, name: name, records: []), id: 7, type: .txt) == .noSuchName)
        #expect(try DNSWire.parse(Self.answer(id: 7, flags: 0x8380, name: name, records: []), id: 7, type: .txt) == .truncated)
        #expect(throws: DNSWire.WireError.notOurAnswer) { try DNSWire.parse(Self.answer(id: 8, name: name, records: [txt]), id: 7, type: .txt) }
        // A pointer to itself, a length past the end, every truncation: errors, never a crash.
        let loop: [UInt8] = [0xC0, 12 + UInt8(name.count) + 4, 0, 16, 0, 1, 0, 0, 0, 60, 0, 0]
        var looping = Self.answer(id: 7, name: name, records: [loop])
        looping[12 + name.count + 4] = 0xC0
        looping[12 + name.count + 5] = UInt8(12 + name.count + 4)
        #expect(throws: DNSWire.WireError.self) { try DNSWire.parse(looping, id: 7, type: .txt) }
        let whole = Self.answer(id: 7, name: name, records: [txt])
        for cut in 0..<whole.count {
            _ = try? DNSWire.parse(Array(whole[..<cut]), id: 7, type: .txt)
        }
        #expect(throws: DNSWire.WireError.invalidName) { try DNSWire.encodeName("a..b") }
        #expect(throws: DNSWire.WireError.invalidName) { try DNSWire.encodeName(String(repeating: "a", count: 64) + ".jp") }
        #expect(DNSClient.Server("127.0.0.1:5353") == DNSClient.Server(host: "127.0.0.1", port: 5353))
        #expect(DNSClient.Server("[::1]:53") == DNSClient.Server(host: "::1", port: 53))
        #expect(DNSClient.Server("127.0.0.1:0") == nil)
    }
}
