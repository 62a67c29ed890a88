/// Who really sent a mail, as far as DKIM (RFC 6376), SPF (RFC 7208) and DMARC (RFC 7489)
/// can tell: worked out on intake (by our own checks, or read from our own MTA's
/// `Authentication-Results`), stored with the mail and shown where a person decides.
public struct SenderAuthentication: Equatable, Sendable, Codable {
    public enum Verdict: String, Equatable, Sendable, Codable {
        /// The From domain is vouched for: an aligned DKIM pass or an aligned SPF pass.
        case pass
        /// Nothing ties the mail to its From domain, or DMARC fails.
        case fail
        /// The checks could not be finished (DNS did not answer): nobody can tell yet.
        case unverified

        public var japaneseName: String {
            switch self {
            case .pass: return "確認済み"
            case .fail: return "失敗"
            case .unverified: return "未確認"
            }
        }

        /// The page's status colour (`status done|owed|wait`).
        public var tone: String {
            switch self {
            case .pass: return "done"
            case .fail: return "owed"
            case .unverified: return "wait"
            }
        }
    }

    public var verdict: Verdict
    /// The results as the checks wrote them (`dmarc=pass`, `dkim=pass header.d=…`, `spf=softfail …`).
    public var results: [String]
    /// For people: why it failed or could not be verified, or what vouches for it.
    public var reason: String

    public init(verdict: Verdict, results: [String], reason: String) {
        self.verdict = verdict
        self.results = results
        self.reason = reason
    }

    /// One line: the results, for the inbox and the stored row.
    public var summary: String { results.joined(separator: "; ") }

    /// What the secretariat reads next to a report.
    public var japaneseText: String { "送信元認証: \(verdict.japaneseName)（\(reason)）" }
}
