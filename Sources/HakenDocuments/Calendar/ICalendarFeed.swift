import HakenCore

/// A private calendar feed (RFC 5545) of one party's dispatches: what calendar programs
/// subscribe to. Times are local to Asia/Tokyo with its VTIMEZONE included (Japan keeps no
/// daylight saving time, so one STANDARD component is the whole zone); each dispatch keeps
/// its UID forever, its SEQUENCE rises with every reschedule or cancellation, and a cancelled
/// one stays in the feed as STATUS:CANCELLED so subscribers drop it rather than keep it.
public enum ICalendarFeed {
    public struct Event: Sendable, Equatable {
        /// `dispatch-<uuid>@hakendesk`: the same for the dispatch's whole life.
        public var uid: String
        public var sequence: Int
        public var schedule: DispatchSchedule
        public var summary: String
        public var description: String
        public var url: String?
        public var cancelled: Bool

        public init(uid: String, sequence: Int, schedule: DispatchSchedule, summary: String, description: String, url: String?, cancelled: Bool) {
            self.uid = uid
            self.sequence = sequence
            self.schedule = schedule
            self.summary = summary
            self.description = description
            self.url = url
            self.cancelled = cancelled
        }
    }

    /// The feed. `stamp` is when it was made, in UTC (DTSTAMP).
    public static func make(name: String, events: [Event], stamp: LocalDateTime) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//HakenDesk//専門家派遣 事務局//JA",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(escape(name))",
            "X-WR-TIMEZONE:Asia/Tokyo",
            "BEGIN:VTIMEZONE",
            "TZID:Asia/Tokyo",
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            "TZOFFSETFROM:+0900",
            "TZOFFSETTO:+0900",
            "TZNAME:JST",
            "END:STANDARD",
            "END:VTIMEZONE",
        ]
        let dtstamp = local(stamp.date, stamp.time) + "Z"
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(escape(event.uid))",
                "DTSTAMP:\(dtstamp)",
                "SEQUENCE:\(max(0, event.sequence))",
                "DTSTART;TZID=Asia/Tokyo:\(local(event.schedule.date, event.schedule.start))",
                "DTEND;TZID=Asia/Tokyo:\(local(event.schedule.date, event.schedule.end))",
                "SUMMARY:\(escape(event.cancelled ? "【取消】\(event.summary)" : event.summary))",
                "LOCATION:\(escape(event.schedule.place))",
                "DESCRIPTION:\(escape(event.description))",
                "STATUS:\(event.cancelled ? "CANCELLED" : "CONFIRMED")",
                "TRANSP:OPAQUE",
            ]
            if let url = event.url { lines.append("URL:\(url)") }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5545 §3.3.11: backslash, semicolon and comma escaped, line ends as `\n`.
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                // Other control characters are not allowed in a TEXT value.
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// RFC 5545 §3.1: lines longer than 75 octets folded with CRLF and a space, never inside
    /// a UTF-8 sequence (a Japanese character is three octets).
    public static func fold(_ line: String) -> String {
        var pieces: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74
            if octets + size > limit {
                pieces.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }

    /// RFC 5545's DATE-TIME without a zone: `20190821T103000`.
    static func local(_ date: CivilDate, _ time: TimeOfDay) -> String {
        date.iso.replacingOccurrences(of: "-", with: "") + "T" + time.hhmm.replacingOccurrences(of: ":", with: "") + "00"
    }
}
