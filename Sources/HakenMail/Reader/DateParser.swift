/// RFC 5322 dates, with the obsolete forms mailers still send (two-digit years, named
/// zones, missing seconds, comments such as `(JST)`).
public enum MailDate {
    public struct Parsed: Equatable, Sendable {
        public var year, month, day, hour, minute, second: Int
        /// Minutes east of UTC.
        public var offsetMinutes: Int

        /// `2019-08-21T10:30:00+09:00`.
        public var iso8601: String {
            let sign = offsetMinutes < 0 ? "-" : "+"
            let offset = abs(offsetMinutes)
            return "\(pad4(year))-\(pad2(month))-\(pad2(day))T\(pad2(hour)):\(pad2(minute)):\(pad2(second))\(sign)\(pad2(offset / 60)):\(pad2(offset % 60))"
        }

        /// Seconds since 1970 (UTC).
        public var secondsSince1970: Int {
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yoe = y - era * 400
            let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
            let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
            return days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        }
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
        "mst": -420, "mdt": -360, "pst": -480, "pdt": -420, "jst": 540,
    ]

    public static func parse(_ input: String) -> Parsed? {
        let text = StructuredText.stripComments(Array(input.utf8)[...])
        var tokens = text.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ",") }).map(StructuredText.string)
        if let first = tokens.first, first.count >= 3, first.allSatisfy(\.isLetter) { tokens.removeFirst() }   // day of week
        guard tokens.count >= 4 else { return nil }
        guard let day = Int(tokens[0]), (1...31).contains(day),
              let month = months.firstIndex(of: String(tokens[1].asciiLowercased.prefix(3))).map({ $0 + 1 }),
              var year = Int(tokens[2]) else { return nil }
        if tokens[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { year += 1900 }
        // A year a mail can carry: beyond it, the conversion to seconds would overflow.
        guard (1...9999).contains(year) else { return nil }
        let clock = tokens[3].split(separator: ":").map { Int($0) }
        guard clock.count >= 2, clock.allSatisfy({ $0 != nil }), let hour = clock[0], let minute = clock[1],
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        let second = clock.count > 2 ? (clock[2] ?? -1) : 0
        guard (0...60).contains(second) else { return nil }
        var offset = 0
        if tokens.count > 4 {
            let zone = tokens[4]
            if let sign = zone.first, sign == "+" || sign == "-", zone.count == 5, let value = Int(zone.dropFirst()) {
                offset = (value / 100 * 60 + value % 100) * (sign == "-" ? -1 : 1)
            } else if let named = zones[zone.asciiLowercased] {
                offset = named
            }
        }
        let daysInMonth = [31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= daysInMonth[month - 1] else { return nil }
        return Parsed(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59), offsetMinutes: offset)
    }
}

func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
func pad4(_ value: Int) -> String {
    let text = String(value)
    return text.count >= 4 ? text : String(repeating: "0", count: 4 - text.count) + text
}
