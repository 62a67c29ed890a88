import HakenCore
import Foundation

/// Builds the mails HakenDesk sends: Japanese text that phones show correctly (UTF-8, or
/// ISO-2022-JP for old carriers' phones), an RFC 2047 subject, and RFC 3834's
/// `Auto-Submitted` so no other system answers back (DEC-9): `auto-replied` on a receipt that
/// answers a message, `auto-generated` on a notice or a link sent on its own.
public struct OutgoingMessage: Sendable, Equatable {
    public enum Charset: String, Sendable { case utf8 = "utf-8", iso2022jp = "iso-2022-jp" }

    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    public var inReplyTo: String?
    public var messageID: String
    public var date: Date
    public var charset: Charset

    public init(from: String, to: String, subject: String, body: String, inReplyTo: String?, messageID: String,
                date: Date, charset: Charset = .utf8) {
        self.from = from; self.to = to; self.subject = subject; self.body = body
        self.inReplyTo = inReplyTo; self.messageID = messageID; self.date = date; self.charset = charset
    }

    /// The message as CRLF-terminated RFC 5322 text (7-bit clean).
    public var rendered: String {
        var lines = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodeWords(subject, charset: charset))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: \(messageID)",
        ]
        if let inReplyTo {
            lines.append("In-Reply-To: \(inReplyTo)")
            lines.append("References: \(inReplyTo)")
        }
        lines += [
            "Auto-Submitted: \(inReplyTo == nil ? "auto-generated" : "auto-replied")",
            "X-Auto-Response-Suppress: All",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=\(charset == .utf8 ? "UTF-8" : "ISO-2022-JP")",
            "Content-Transfer-Encoding: \(charset == .utf8 ? "base64" : "7bit")",
            "",
        ]
        let text = Self.crlfLines(body)
        let encodedBody: String
        switch charset {
        case .utf8:
            encodedBody = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        case .iso2022jp:
            encodedBody = String(decoding: ISO2022JPEncoder.encode(text), as: UTF8.self)
        }
        return lines.joined(separator: "\r\n") + "\r\n" + encodedBody + "\r\n"
    }

    /// RFC 2047 B words of at most 75 characters, split on character boundaries.
    static func encodeWords(_ text: String, charset: Charset) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = ""
        let label = charset == .utf8 ? "UTF-8" : "ISO-2022-JP"
        func bytes(_ s: String) -> [UInt8] { charset == .utf8 ? Array(s.utf8) : ISO2022JPEncoder.encode(s) }
        // The chunk's encoded length grows by each character's own encoding: exact for UTF-8,
        // an upper bound for ISO-2022-JP (whose escapes a run of kanji shares), so a word
        // never passes 75 characters and the text is encoded once per word, not per character.
        var length = 0
        for character in text {
            let added = bytes(String(character)).count
            if (length + added + 2) / 3 * 4 + label.count + 7 > 75, !chunk.isEmpty {
                words.append("=?\(label)?B?\(Data(bytes(chunk)).base64EncodedString())?=")
                chunk = String(character)
                length = added
            } else {
                chunk.append(character)
                length += added
            }
        }
        if !chunk.isEmpty { words.append("=?\(label)?B?\(Data(bytes(chunk)).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Every line end as CRLF (bare LF and CRLF alike; a lone CR is left as it is).
    static func crlfLines(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x0A && previous != 0x0D { out.append(0x0D) }
            out.append(byte)
            previous = byte
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `Wed, 21 Aug 2019 10:30:00 +0900`, Tokyo time, written by hand: a DateFormatter per
    /// receipt was a sixth of the time to process a mail.
    static func rfc5322Date(_ date: Date) -> String {
        let whole = Int(date.timeIntervalSince1970.rounded(.down))
        let local = TokyoClock.local(secondsSince1970: Double(whole))
        let seconds = ((whole % 60) + 60) % 60
        let day = local.date
        let weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][day.weekday.rawValue]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]
        return "\(weekday), \(day.day < 10 ? "0" : "")\(day.day) \(month) \(day.year) \(local.time.hhmm):\(seconds < 10 ? "0" : "")\(seconds) +0900"
    }
}

/// ISO-2022-JP for the receipts sent to old phones: JIS X 0208 through CP932 (so ①, ㈱ and
/// ～ survive), and ASCII; characters outside both become 〓 (the geta mark), as Japanese
/// mailers do.
enum ISO2022JPEncoder {
    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var inJIS = false
        for character in text {
            if character.unicodeScalars.allSatisfy(\.isASCII) {
                // Not `asciiValue`: that turns the CRLF grapheme into a bare LF.
                if inJIS { out += [0x1B, 0x28, 0x42]; inJIS = false }
                out += Array(String(character).utf8)
                continue
            }
            var sjis = Iconv.encode(String(character), to: "CP932") ?? []
            if sjis.count != 2 { sjis = [0x81, 0xAC] }   // 〓
            if !inJIS { out += [0x1B, 0x24, 0x42]; inJIS = true }
            let s1 = Int(sjis[0]), s2 = Int(sjis[1])
            var row = (s1 - (s1 < 0xA0 ? 0x70 : 0xB0)) * 2
            var cell: Int
            if s2 < 0x9F {
                row -= 1
                cell = s2 - (s2 < 0x7F ? 0x1F : 0x20)
            } else {
                cell = s2 - 0x7E
            }
            out += [UInt8(row & 0xFF), UInt8(cell & 0xFF)]
        }
        if inJIS { out += [0x1B, 0x28, 0x42] }
        return out
    }
}
