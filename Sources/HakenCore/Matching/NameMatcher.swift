import Foundation
import Synchronization

/// DEC-4: business and expert names are compared the way a person would: NFKC, without
/// legal-form marks, spaces or honorifics. A close but not exact name still matches, flagged.
public enum NameMatcher {
    public enum Match: Equatable, Sendable {
        case exact
        /// Matches, but a person should look: the names differ in kana or a character or two.
        case close
        case different

        public var matches: Bool { self != .different }
    }

    /// Longest first, so `医療法人社団` is removed before `医療法人`. Applied after NFKC,
    /// which turns ㈱ and （株） into (株).
    static let legalForms: [String] = [
        "特定非営利活動法人", "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人",
        "医療法人社団", "医療法人財団", "社会福祉法人", "事業協同組合", "有限責任事業組合",
        "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "医療法人", "学校法人",
        "宗教法人", "協同組合", "npo法人",
        "(一社)", "(一財)", "(公社)", "(公財)", "(特非)", "(株)", "(有)", "(同)", "(合)",
        "(資)", "(名)", "(医)", "(社)", "(財)", "(学)", "(福)", "(協)",
    ]

    static let honorifics: [String] = ["先生", "さん", "様", "殿", "御中", "氏"]

    /// Keys already computed: every report compares the same few thousand registered and
    /// written names, and NFKC is the costly part. Bounded; cleared when full.
    static let normalized = Mutex<[String: String]>([:])
    static let normalizedLimit = 8192

    /// The comparison key: NFKC, lower-cased, without legal forms, spaces, middle dots and a
    /// trailing honorific.
    public static func normalize(_ name: String) -> String {
        if let known = normalized.withLock({ $0[name] }) { return known }
        let key = computeKey(name)
        normalized.withLock { cache in
            if cache.count >= normalizedLimit { cache.removeAll(keepingCapacity: true) }
            cache[name] = key
        }
        return key
    }

    static func computeKey(_ name: String) -> String {
        let folded = CompatibilityFolding.nfkc(name).lowercased()
        let scalars = Array(folded.unicodeScalars.filter { !$0.isWhiteSpace && $0 != "・" && $0 != "･" })
        // Legal forms removed wherever they stand, longest first at each position (as the
        // list is ordered), scanning scalars rather than searching strings once per form.
        var kept = String.UnicodeScalarView()
        var index = 0
        scan: while index < scalars.count {
            if legalFormStarts.contains(scalars[index]) {
                for form in legalFormScalars where scalars.count - index >= form.count
                    && scalars[index..<(index + form.count)].elementsEqual(form) {
                    index += form.count
                    continue scan
                }
            }
            kept.append(scalars[index])
            index += 1
        }
        var text = String(kept)
        for honorific in honorifics where text.hasSuffix(honorific) && text.count > honorific.count {
            text.removeLast(honorific.count)
            break
        }
        return text
    }

    static let legalFormScalars: [[Unicode.Scalar]] = legalForms.map { Array($0.unicodeScalars) }
    static let legalFormStarts: Set<Unicode.Scalar> = Set(legalFormScalars.compactMap(\.first))

    public static func compare(_ written: String, _ registered: String) -> Match {
        let a = normalize(written)
        let b = normalize(registered)
        guard !a.isEmpty, !b.isEmpty else { return .different }
        if a == b { return .exact }
        let foldedA = foldKana(a)
        let foldedB = foldKana(b)
        if foldedA == foldedB { return .close }
        let shorter = min(foldedA.count, foldedB.count)
        let allowed = shorter >= 8 ? 2 : (shorter >= 3 ? 1 : 0)
        if allowed > 0 && editDistance(Array(foldedA), Array(foldedB), limit: allowed) <= allowed {
            return .close
        }
        return .different
    }

    /// Katakana to hiragana, so ばそな and バソナ compare equal (then only as a close match).
    static func foldKana(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            (0x30A1...0x30F6).contains(scalar.value) ? (Unicode.Scalar(scalar.value - 0x60) ?? scalar) : scalar
        }))
    }

    /// Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMinimum = current[0]
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
