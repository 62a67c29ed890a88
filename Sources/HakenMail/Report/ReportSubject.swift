import Foundation
import HakenCore

/// Reads report subjects the way people type them on phones (DEC-4): full-width or
/// half-width digits, `/` or `／` (or `・`), spaces anywhere, `10:30` `10：30` `10時30分`
/// `10時` `10時半`, `8/21` or `8月21日`, a weekday in `()` `（）` or none, `~ ～ 〜 - － ー`
/// between two times, and `Re:` `Fwd:` `転送:` prefixes. A date or time that does not exist
/// is a problem, never a guess.
public enum ReportSubjectReader {
    public typealias Outcome = SubjectReading

    public static func read(_ subject: String) -> SubjectReading {
        let text = stripReplyPrefixes(subject)
        guard let (business, expert, when) = splitParts(text) else { return .problem(.notAReport) }
        switch parseWhen(when) {
        case .success(let parsed):
            guard !business.isEmpty, !expert.isEmpty else { return .problem(.notAReport) }
            return .report(ReportSubject(business: business, expert: expert, month: parsed.month, day: parsed.day,
                                         time: parsed.start, end: parsed.end))
        case .failure(let problem):
            return .problem(problem.code)
        }
    }

    // MARK: - Prefixes and parts

    static let prefixes = ["re", "fwd", "fw", "aw", "sv", "vs", "tr", "wg", "転送", "返信", "返", "転"]
    /// What a prefix can start with, either case: most subjects are done after one look.
    static let prefixStarts = Set(prefixes.flatMap { ($0.first.map { [$0.lowercased(), $0.uppercased()] } ?? []).flatMap(\.unicodeScalars) })

    /// `Re:`, `RE[2]:`, `Fwd:`, `転送：` … repeated, with any spacing.
    static func stripReplyPrefixes(_ subject: String) -> String {
        var text = Substring(subject.trimmingWhitespace)
        guard let first = text.unicodeScalars.first, prefixStarts.contains(first) else { return String(text) }
        var changed = true
        while changed {
            changed = false
            let lower = String(text.prefix(4)).lowercased()   // the longest prefix has three characters
            for prefix in prefixes where lower.hasPrefix(prefix) {
                var rest = text.dropFirst(prefix.count)
                if rest.first == "[" || rest.first == "(", let close = rest.firstIndex(where: { $0 == "]" || $0 == ")" }) {
                    rest = rest[rest.index(after: close)...]
                }
                rest = rest.drop { $0 == " " || $0 == "\u{3000}" }
                if rest.first == ":" || rest.first == "：" {
                    text = Substring(String(rest.dropFirst()).trimmingWhitespace)
                    changed = true
                    break
                }
            }
        }
        return String(text)
    }

    /// Business, expert and the date-time part. `/` or `／` split first; `・` only when that
    /// gives no three parts. With more parts than three, the date-time is what parses as one.
    static func splitParts(_ text: String) -> (String, String, String)? {
        let slashParts = splitScalars(text) { $0 == "/" || $0 == "／" }
        if slashParts.count >= 3 {
            let rest = slashParts[2...].joined(separator: "/")
            if slashParts.count == 3 || (try? parseWhen(rest).get()) != nil {
                return (slashParts[0].trimmingWhitespace, slashParts[1].trimmingWhitespace, rest)
            }
            let n = slashParts.count
            return (slashParts[0..<(n - 2)].joined(separator: "/").trimmingWhitespace, slashParts[n - 2].trimmingWhitespace, slashParts[n - 1])
        }
        let dotParts = splitScalars(text) { $0 == "・" }
        guard dotParts.count >= 3 else { return nil }
        let n = dotParts.count
        return (dotParts[0..<(n - 2)].joined(separator: "・").trimmingWhitespace, dotParts[n - 2].trimmingWhitespace, dotParts[n - 1])
    }

    /// Splits on single scalars (empty parts kept): the separators are never part of a
    /// grapheme cluster worth keeping, and scalars need no grapheme breaking.
    static func splitScalars(_ text: String, _ isSeparator: (Unicode.Scalar) -> Bool) -> [String] {
        let view = text.unicodeScalars
        var parts: [String] = []
        var start = view.startIndex
        var index = start
        while index < view.endIndex {
            if isSeparator(view[index]) {
                parts.append(String(view[start..<index]))
                start = view.index(after: index)
            }
            index = view.index(after: index)
        }
        parts.append(String(view[start...]))
        return parts
    }

    // MARK: - Date and time

    struct When {
        var month: Int
        var day: Int
        var start: TimeOfDay
        var end: TimeOfDay?
    }

    struct Problem: Error { var code: ReportSubjectProblem }

    /// `8月21日(水)10:30~15:00` and its variants, after NFKC and without spaces.
    static func parseWhen(_ raw: String) -> Result<When, Problem> {
        let s = CompatibilityFolding.nfkcScalars(raw)
        var i = 0
        // Spaces may stand between any two tokens, never inside a number.
        func skipSpaces() {
            while i < s.count && s[i].isWhiteSpace { i += 1 }
        }
        func digits() -> Int? {
            skipSpaces()
            var value = 0, count = 0
            while i < s.count, ("0"..."9").contains(s[i]), count < 4 {
                value = value * 10 + Int(s[i].value - 0x30)
                count += 1
                i += 1
            }
            return count == 0 ? nil : value
        }
        func take(_ options: String) -> Bool {
            skipSpaces()
            if i < s.count && options.unicodeScalars.contains(s[i]) { i += 1; return true }
            return false
        }

        // Date: M月D日 or M/D (also M-D? no: '-' separates times).
        guard let month = digits() else { return .failure(Problem(code: .notAReport)) }
        if take("月") {
        } else if !take("/") { return .failure(Problem(code: .notAReport)) }
        guard let day = digits() else { return .failure(Problem(code: .notAReport)) }
        _ = take("日")
        guard (1...12).contains(month), CivilDate(year: 2000, month: month, day: day) != nil else {
            return .failure(Problem(code: .invalidDate))
        }
        // Optional weekday: (水) (水曜) (水曜日) or 水曜日 without brackets.
        let weekdays = "日月火水木金土"
        skipSpaces()
        if i < s.count && s[i] == "(" {
            if let close = s[i...].firstIndex(of: ")") {
                let inner = String(String.UnicodeScalarView(s[(i + 1)..<close]))
                let stripped = inner.filter { !$0.isWhitespace }.replacingOccurrences(of: "曜日", with: "").replacingOccurrences(of: "曜", with: "")
                guard stripped.count == 1, weekdays.contains(stripped) else { return .failure(Problem(code: .notAReport)) }
                i = close + 1
            }
        } else if i < s.count, weekdays.unicodeScalars.contains(s[i]), i + 1 < s.count, s[i + 1] == "曜" {
            i += 2
            _ = take("日")
        }
        skipSpaces()
        guard i < s.count else { return .failure(Problem(code: .missingTime)) }

        func time() -> Result<TimeOfDay, Problem>? {
            guard let hour = digits() else { return nil }
            var minute = 0
            if take(":") {
                guard let value = digits() else { return .failure(Problem(code: .invalidTime)) }
                minute = value
            } else if take("時") {
                if take("半") {
                    minute = 30
                } else if let value = digits() {
                    minute = value
                    _ = take("分")
                }
            } else {
                return .failure(Problem(code: .invalidTime))
            }
            guard let value = TimeOfDay(hour: hour, minute: minute) else { return .failure(Problem(code: .invalidTime)) }
            return .success(value)
        }

        guard let startResult = time() else { return .failure(Problem(code: .missingTime)) }
        let start: TimeOfDay
        switch startResult {
        case .success(let value): start = value
        case .failure(let problem): return .failure(problem)
        }
        var end: TimeOfDay?
        skipSpaces()
        if i < s.count {
            // Between the times: ~ 〜 - ー ‐ − – — or から.
            if take("~〜-ー‐−–—―") || (i + 1 < s.count && s[i] == "か" && s[i + 1] == "ら" && { i += 2; return true }()) {
                // `13時～` alone means "from 13:00": a time report.
                guard let endResult = time() else {
                    skipSpaces()
                    return i == s.count ? .success(When(month: month, day: day, start: start, end: nil))
                                        : .failure(Problem(code: .invalidTime))
                }
                switch endResult {
                case .success(let value): end = value
                case .failure(let problem): return .failure(problem)
                }
            }
        }
        // Anything left over that is not a closing word makes it something other than a report.
        let rest = String(String.UnicodeScalarView(s[min(i, s.count)...])).filter { !$0.isWhitespace }
        guard rest.isEmpty || ["頃", "ごろ", "開始", "終了", "まで"].contains(rest) else { return .failure(Problem(code: .notAReport)) }
        return .success(When(month: month, day: day, start: start, end: end))
    }
}
