import Foundation

/// The organisational domain (RFC 7489 3.2): the public suffix and one label more, so
/// `mail.example.co.jp` and `example.co.jp` align and `a.co.jp` and `b.co.jp` do not.
/// The rules come from the Public Suffix List as Debian's `publicsuffix` package installs it;
/// without that file, from the built-in rules below (Japan's second-level domains and the
/// common ones elsewhere).
public struct PublicSuffixList: Sendable {
    var rules: Set<String>
    var wildcards: Set<String>
    var exceptions: Set<String>

    public static let debianPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    public init(text: String) {
        var rules = Set<String>(), wildcards = Set<String>(), exceptions = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let rule = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if rule.isEmpty || rule.hasPrefix("//") { continue }
            if rule.hasPrefix("!") {
                exceptions.insert(String(rule.dropFirst()).lowercased())
            } else if rule.hasPrefix("*.") {
                wildcards.insert(String(rule.dropFirst(2)).lowercased())
            } else {
                rules.insert(rule.lowercased())
            }
        }
        (self.rules, self.wildcards, self.exceptions) = (rules, wildcards, exceptions)
    }

    /// Debian's list when installed, otherwise the built-in rules.
    public static func load(path: String = debianPath) -> PublicSuffixList {
        if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains("===BEGIN ICANN DOMAINS===") {
            return PublicSuffixList(text: text)
        }
        return PublicSuffixList(text: builtIn)
    }

    public func organisationalDomain(_ domain: String) -> String {
        var name = domain.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".").map(String.init)
        guard labels.count > 1 else { return name }
        // The longest matching public suffix; the default rule "*" makes the last label one.
        var suffixLength = 1
        for start in 0..<labels.count {
            let candidate = labels[start...].joined(separator: ".")
            let length = labels.count - start
            if exceptions.contains(candidate) { suffixLength = length - 1; break }
            if rules.contains(candidate) { suffixLength = max(suffixLength, length); break }
            if start + 1 < labels.count, wildcards.contains(labels[(start + 1)...].joined(separator: ".")) {
                suffixLength = max(suffixLength, length); break
            }
        }
        guard suffixLength < labels.count else { return name }
        return labels.suffix(suffixLength + 1).joined(separator: ".")
    }

    static let builtIn = """
        // Built-in: Japan (JPRS's attribute and prefecture-type second-level names) and common suffixes.
        jp
        ac.jp
        ad.jp
        co.jp
        ed.jp
        go.jp
        gr.jp
        lg.jp
        ne.jp
        or.jp
        com
        net
        org
        info
        biz
        io
        uk
        co.uk
        org.uk
        ac.uk
        gov.uk
        au
        com.au
        net.au
        cn
        com.cn
        kr
        co.kr
        tw
        com.tw
        example
        test
        invalid
        localhost
        """
}
