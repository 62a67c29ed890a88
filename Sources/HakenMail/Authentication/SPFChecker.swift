import Foundation

/// SPF (RFC 7208) for the envelope sender: may this IP address send mail for that domain?
/// The common mechanisms (ip4, ip6, a, mx, include, exists, all; redirect=) with macros,
/// the limit of 10 DNS-querying terms and of 2 void lookups. `ptr` is counted and never
/// matches (RFC 7208 5.5: it SHOULD NOT be used).
public struct SPFChecker: Sendable {
    public enum Outcome: String, Sendable { case pass, fail, softfail, neutral, none, temperror, permerror }

    public struct Result: Equatable, Sendable {
        public var outcome: Outcome
        public var domain: String
        public var reason: String

        public var text: String {
            "spf=\(outcome.rawValue) smtp.mailfrom=\(domain)" + (reason.isEmpty ? "" : " (\(reason))")
        }
    }

    let dns: any DNSLookup

    public init(dns: any DNSLookup) { self.dns = dns }

    /// `sender`: the MAIL FROM address (for the null sender, `postmaster@` the HELO name).
    public func check(ip: IPAddress, sender: String, helo: String) async -> Result {
        let domain = sender.split(separator: "@").last.map { String($0).lowercased() } ?? ""
        guard !domain.isEmpty else { return Result(outcome: .none, domain: domain, reason: "no sender domain") }
        var state = State(ip: ip, sender: sender.lowercased(), helo: helo.lowercased())
        let outcome = await checkHost(domain, state: &state, depth: 0)
        return Result(outcome: outcome.0, domain: domain, reason: outcome.1)
    }

    struct State {
        var ip: IPAddress
        var sender: String
        var helo: String
        var lookups = 0
        var voids = 0
    }

    static let maxLookups = 10

    private func checkHost(_ domain: String, state: inout State, depth: Int) async -> (Outcome, String) {
        guard depth < 12 else { return (.permerror, "too deeply nested") }
        let record: String
        switch await dns.txt(domain) {
        case .failed(let why): return (.temperror, why)
        case .none: return (.none, "no SPF record for \(domain)")
        case .found(let texts):
            let spf = texts.filter { $0.lowercased() == "v=spf1" || $0.lowercased().hasPrefix("v=spf1 ") }
            guard !spf.isEmpty else { return (.none, "no SPF record for \(domain)") }
            guard spf.count == 1 else { return (.permerror, "\(spf.count) SPF records for \(domain)") }
            record = spf[0]
        }
        var redirect: String?
        for term in record.split(separator: " ").dropFirst() where !term.isEmpty {
            if let equals = term.firstIndex(of: "="), !term[..<equals].contains(":") {
                if term[..<equals].lowercased() == "redirect" { redirect = String(term[term.index(after: equals)...]) }
                continue  // exp= and unknown modifiers are ignored
            }
            var mechanism = Substring(term)
            var qualifier = Outcome.pass
            switch mechanism.first {
            case "+": mechanism = mechanism.dropFirst()
            case "-": qualifier = .fail; mechanism = mechanism.dropFirst()
            case "~": qualifier = .softfail; mechanism = mechanism.dropFirst()
            case "?": qualifier = .neutral; mechanism = mechanism.dropFirst()
            default: break
            }
            switch await matches(mechanism, domain: domain, state: &state, depth: depth) {
            case .matched: return (qualifier, "\(term) matched")
            case .notMatched: continue
            case .error(let outcome, let why): return (outcome, why)
            }
        }
        if let redirect {
            state.lookups += 1
            guard state.lookups <= Self.maxLookups else { return (.permerror, "more than 10 DNS lookups") }
            guard let target = expand(redirect, domain: domain, state: state) else { return (.permerror, "bad redirect") }
            let result = await checkHost(target, state: &state, depth: depth + 1)
            return result.0 == .none ? (.permerror, "redirect to \(target) has no SPF record") : result
        }
        return (.neutral, "no mechanism matched")
    }

    enum Match { case matched, notMatched, error(Outcome, String) }

    private func matches(_ mechanism: Substring, domain: String, state: inout State, depth: Int) async -> Match {
        let lower = mechanism.lowercased()
        let (name, argument) = lower.firstIndex(where: { $0 == ":" || $0 == "/" }).map {
            (String(lower[..<$0]), String(lower[$0...]))
        } ?? (lower, "")
        func countLookup() -> Match? {
            state.lookups += 1
            return state.lookups > Self.maxLookups ? .error(.permerror, "more than 10 DNS lookups") : nil
        }
        func target(_ text: String) -> String? {
            // `:domain/24//64`: the domain, before any CIDR lengths.
            guard text.hasPrefix(":") else { return domain }
            let spec = String(text.dropFirst().prefix { $0 != "/" })
            return expand(spec, domain: domain, state: state)
        }
        let cidr = Self.cidr(argument)
        switch name {
        case "all":
            return argument.isEmpty ? .matched : .error(.permerror, "all takes no argument")
        case "ip4", "ip6":
            guard argument.hasPrefix(":") else { return .error(.permerror, "\(name) without an address") }
            let spec = argument.dropFirst()
            let parts = spec.split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let network = IPAddress(String(first)),
                  (name == "ip4") == network.isIPv4 else { return .error(.permerror, "bad \(name) address") }
            let bits: Int
            if parts.count == 2 {
                guard let value = Int(parts[1]), value >= 0, value <= (network.isIPv4 ? 32 : 128) else {
                    return .error(.permerror, "bad \(name) prefix")
                }
                bits = value
            } else {
                bits = network.isIPv4 ? 32 : 128
            }
            return state.ip.isWithin(network, prefix: bits) ? .matched : .notMatched
        case "a", "mx":
            if let error = countLookup() { return error }
            guard let host = target(argument), let cidr else { return .error(.permerror, "bad \(name) argument") }
            var hosts: [String] = [host]
            if name == "mx" {
                switch await dns.lookup(host, .mx) {
                case .failed(let why): return .error(.temperror, why)
                case .none:
                    state.voids += 1
                    if state.voids > 2 { return .error(.permerror, "more than 2 void lookups") }
                    return .notMatched
                case .found(let records):
                    hosts = records.compactMap { if case .mx(_, let host) = $0 { return host } else { return nil } }
                    guard hosts.count <= 10 else { return .error(.permerror, "more than 10 MX hosts") }
                }
            }
            for host in hosts {
                switch await addresses(host, ipv6: !state.ip.isIPv4) {
                case .failed(let why): return .error(.temperror, why)
                case .none:
                    if name == "a" {
                        state.voids += 1
                        if state.voids > 2 { return .error(.permerror, "more than 2 void lookups") }
                    }
                case .found(let list):
                    let bits = state.ip.isIPv4 ? cidr.v4 : cidr.v6
                    if list.contains(where: { state.ip.isWithin($0, prefix: bits) }) { return .matched }
                }
            }
            return .notMatched
        case "include":
            if let error = countLookup() { return error }
            guard argument.hasPrefix(":"), let host = target(argument) else { return .error(.permerror, "include without a domain") }
            let result = await checkHost(host, state: &state, depth: depth + 1)
            switch result.0 {
            case .pass: return .matched
            case .fail, .softfail, .neutral: return .notMatched
            case .temperror: return .error(.temperror, result.1)
            case .permerror, .none: return .error(.permerror, "include:\(host): \(result.1)")
            }
        case "exists":
            if let error = countLookup() { return error }
            guard argument.hasPrefix(":"), let host = target(argument) else { return .error(.permerror, "exists without a domain") }
            switch await dns.lookup(host, .a) {
            case .failed(let why): return .error(.temperror, why)
            case .none:
                state.voids += 1
                return state.voids > 2 ? .error(.permerror, "more than 2 void lookups") : .notMatched
            case .found: return .matched
            }
        case "ptr":
            if let error = countLookup() { return error }
            return .notMatched
        default:
            return .error(.permerror, "unknown mechanism \(name)")
        }
    }

    private func addresses(_ host: String, ipv6: Bool) async -> DNSResult<[IPAddress]> {
        switch await dns.lookup(host, ipv6 ? .aaaa : .a) {
        case .failed(let why): return .failed(why)
        case .none: return .none
        case .found(let records):
            let list = records.compactMap { record -> IPAddress? in
                switch record {
                case .a(let bytes), .aaaa(let bytes): return IPAddress(bytes: bytes)
                default: return nil
                }
            }
            return list.isEmpty ? .none : .found(list)
        }
    }

    /// `/24//64`, `/24`, `//64` or nothing: the IPv4 and IPv6 prefix lengths.
    static func cidr(_ argument: String) -> (v4: Int, v6: Int)? {
        guard let slash = argument.firstIndex(of: "/") else { return (32, 128) }
        let text = argument[slash...]
        var v4 = 32, v6 = 128
        if text.hasPrefix("//") {
            guard let value = Int(text.dropFirst(2)), (0...128).contains(value) else { return nil }
            v6 = value
        } else {
            let parts = text.dropFirst().components(separatedBy: "//")
            guard let value = Int(parts[0]), (0...32).contains(value) else { return nil }
            v4 = value
            if parts.count == 2 {
                guard let six = Int(parts[1]), (0...128).contains(six) else { return nil }
                v6 = six
            }
        }
        return (v4, v6)
    }

    /// Macro expansion (RFC 7208 7): %{s l o d i h v} with digits and `r`, `%%`, `%_`, `%-`.
    /// nil when the text is not a valid macro string.
    func expand(_ text: String, domain: String, state: State) -> String? {
        var out = ""
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            guard let next = chars.popFirst() else { return nil }
            switch next {
            case "%": out.append("%")
            case "_": out.append(" ")
            case "-": out.append("%20")
            case "{":
                guard let close = chars.firstIndex(of: "}") else { return nil }
                let body = chars[chars.startIndex..<close]
                chars = chars[(close + 1)...]
                guard let letter = body.first?.lowercased() else { return nil }
                var rest = body.dropFirst()
                let digits = String(rest.prefix { $0.isNumber })
                rest = rest.dropFirst(digits.count)
                var reverse = false
                if rest.first?.lowercased() == "r" { reverse = true; rest = rest.dropFirst() }
                let delimiters = rest.isEmpty ? Set<Character>(["."]) : Set(rest)
                guard delimiters.isSubset(of: Set(".-+,/_=")) else { return nil }
                let value: String
                switch letter {
                case "s": value = state.sender
                case "l": value = state.sender.split(separator: "@").first.map(String.init) ?? "postmaster"
                case "o": value = state.sender.split(separator: "@").last.map(String.init) ?? domain
                case "d": value = domain
                case "i": value = state.ip.macroText
                case "h": value = state.helo
                case "v": value = state.ip.isIPv4 ? "in-addr" : "ip6"
                default: return nil
                }
                var parts = value.split(whereSeparator: { delimiters.contains($0) }).map(String.init)
                if reverse { parts.reverse() }
                if !digits.isEmpty {
                    guard let keep = Int(digits), keep > 0, keep <= 128 else { return nil }
                    parts = Array(parts.suffix(keep))
                }
                out += parts.joined(separator: ".")
            default:
                return nil
            }
        }
        return out
    }
}

/// An IPv4 or IPv6 address as bytes (an IPv4-mapped IPv6 address is read as IPv4).
public struct IPAddress: Equatable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            self.bytes = Array(bytes[12...])
        } else if bytes.count == 4 || bytes.count == 16 {
            self.bytes = bytes
        } else {
            return nil
        }
    }

    public init?(_ text: String) {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(bytes: withUnsafeBytes(of: v4) { Array($0) })
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            self.init(bytes: withUnsafeBytes(of: v6) { Array($0) })
        } else {
            return nil
        }
    }

    public var isIPv4: Bool { bytes.count == 4 }

    public func isWithin(_ network: IPAddress, prefix: Int) -> Bool {
        guard bytes.count == network.bytes.count, prefix >= 0, prefix <= bytes.count * 8 else { return false }
        for bit in 0..<prefix {
            let mask = UInt8(0x80) >> UInt8(bit % 8)
            if bytes[bit / 8] & mask != network.bytes[bit / 8] & mask { return false }
        }
        return true
    }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }

    /// %{i}: dotted IPv4, or IPv6 as dot-separated nibbles.
    var macroText: String {
        if isIPv4 { return description }
        return bytes.flatMap { [String($0 >> 4, radix: 16), String($0 & 0x0F, radix: 16)] }.joined(separator: ".")
    }
}
