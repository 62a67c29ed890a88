import Foundation
import HakenCore

/// Receiving directly (no MTA of ours in front): DKIM, SPF and DMARC worked out here, in
/// processing (after the mail is stored and acknowledged: DNS never holds up the 250).
///
/// The rule (docs/decisions.md, "Who sent it"): a mail passes when its From domain is vouched for by
/// an aligned DKIM pass or an aligned SPF pass, which is what DMARC asks; a domain without
/// a DMARC record is held to the same rule (an SPF pass for someone else's domain says
/// nothing about the From). When DNS does not answer, the mail is unverified, not failed.
public struct SenderVerifier: Sendable {
    let dns: any DNSLookup
    let suffixes: PublicSuffixList
    let now: @Sendable () -> Int64

    public init(dns: any DNSLookup, suffixes: PublicSuffixList,
                now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.dns = dns
        self.suffixes = suffixes
        self.now = now
    }

    public struct Connection: Sendable, Equatable {
        /// The SMTP client's address; nil when the mail came another way (the HTTP pipe, the CLI).
        public var clientAddress: String?
        public var helo: String?
        /// MAIL FROM: "" for the null sender.
        public var mailFrom: String?

        public init(clientAddress: String?, helo: String?, mailFrom: String?) {
            (self.clientAddress, self.helo, self.mailFrom) = (clientAddress, helo, mailFrom)
        }
    }

    public func verify(_ raw: [UInt8], fromDomain: String?, connection: Connection) async -> SenderAuthentication {
        async let dkimResults = DKIMVerifier(dns: dns, now: now).verify(raw)
        async let spfResult = spf(connection)
        let dkim = await dkimResults, spf = await spfResult
        guard let from = fromDomain?.lowercased(), !from.isEmpty else {
            return SenderAuthentication(verdict: .fail, results: dkim.map(\.text) + [spf?.text].compactMap { $0 },
                                        reason: "From のドメインが読めません")
        }
        let dmarc = await DMARCPolicy.lookup(from, dns: dns, suffixes: suffixes)
        return Self.verdict(from: from, dkim: dkim, spf: spf, dmarc: dmarc, suffixes: suffixes)
    }

    func spf(_ connection: Connection) async -> SPFChecker.Result? {
        guard let text = connection.clientAddress, let ip = IPAddress(text) else { return nil }
        let helo = connection.helo ?? ""
        let sender = (connection.mailFrom ?? "").isEmpty ? "postmaster@\(helo)" : connection.mailFrom ?? ""
        return await SPFChecker(dns: dns).check(ip: ip, sender: sender, helo: helo)
    }

    /// The decision over what the checks found (pure).
    public static func verdict(from: String, dkim: [DKIMVerifier.Result], spf: SPFChecker.Result?, dmarc: DMARCPolicy.Lookup,
                               suffixes: PublicSuffixList) -> SenderAuthentication {
        var policy: DMARCPolicy?
        if case .found(let found) = dmarc { policy = found }
        let alignedDKIM = dkim.first {
            $0.outcome == .pass && $0.domain.map { DMARCPolicy.aligned($0, from, relaxed: policy?.relaxedDKIM ?? true, suffixes: suffixes) } == true
        }
        let alignedSPF = spf.flatMap { result in
            result.outcome == .pass && DMARCPolicy.aligned(result.domain, from, relaxed: policy?.relaxedSPF ?? true, suffixes: suffixes)
                ? result : nil
        }
        let passed = alignedDKIM != nil || alignedSPF != nil
        var results: [String] = []
        switch dmarc {
        case .found(let policy):
            results.append("dmarc=\(passed ? "pass" : "fail") header.from=\(from) (p=\(policy.policy.rawValue))")
        case .none: results.append("dmarc=none header.from=\(from)")
        case .failed(let why): results.append("dmarc=temperror header.from=\(from) (\(why))")
        }
        results += dkim.map(\.text)
        results.append(spf?.text ?? "spf=none (送信元 IP アドレスなし)")

        if let alignedDKIM {
            return SenderAuthentication(verdict: .pass, results: results, reason: "DKIM 署名 \(alignedDKIM.domain ?? from)")
        }
        if let alignedSPF {
            return SenderAuthentication(verdict: .pass, results: results, reason: "SPF \(alignedSPF.domain)")
        }
        var unfinished: [String] = []
        if case .failed(let why) = dmarc { unfinished.append("DMARC: \(why)") }
        unfinished += dkim.filter { $0.outcome == .temperror }.map { "DKIM \($0.domain ?? ""): \($0.reason)" }
        if let spf, spf.outcome == .temperror { unfinished.append("SPF: \(spf.reason)") }
        if !unfinished.isEmpty {
            return SenderAuthentication(verdict: .unverified, results: results, reason: unfinished.joined(separator: "、"))
        }
        var why: [String] = []
        if dkim.isEmpty {
            why.append("DKIM 署名なし")
        } else {
            for result in dkim {
                if result.outcome == .pass {
                    why.append("DKIM 署名は別のドメイン（\(result.domain ?? "")）のもの")
                } else {
                    why.append("DKIM \(result.outcome.rawValue)（\(result.domain ?? "不明"): \(result.reason)）")
                }
            }
        }
        if let spf {
            if spf.outcome == .pass {
                why.append("SPF の合格は別のドメイン（\(spf.domain)）のもの")
            } else {
                why.append("SPF \(spf.outcome.rawValue)（\(spf.domain)）")
            }
        }
        let head: String
        if let policy { head = "DMARC 不合格（\(from) のポリシー p=\(policy.policy.rawValue)）" } else { head = "\(from) を裏付ける認証がありません" }
        return SenderAuthentication(verdict: .fail, results: results, reason: ([head] + why).joined(separator: "、"))
    }
}
