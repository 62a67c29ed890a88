import Foundation
import Testing
@testable import HakenMail

@Suite struct MessageDateTests {
    /// The hand-written Date header must say what Foundation's formatter says, across days,
    /// years, leap days and the Tokyo date line (15:00 UTC).
    @Test func dateHeaderMatchesFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Tokyo")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, 1_566_351_000, 1_582_988_399, 1_582_988_400, 1_709_218_800, 4_102_444_799.999]
        let random = (0..<500).map { _ in TimeInterval(Int.random(in: 0...4_102_444_800, using: &generator)) + 0.75 }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(OutgoingMessage.rfc5322Date(date) == formatter.string(from: date), "\(seconds)")
        }
    }
}

@Suite struct MessageLineEndTests {
    @Test func everyLineEndBecomesCRLF() {
        #expect(OutgoingMessage.crlfLines("a\nb\r\nc\rd\n\n") == "a\r\nb\r\nc\rd\r\n\r\n")
        #expect(OutgoingMessage.crlfLines("受付\n完了") == "受付\r\n完了")
        #expect(OutgoingMessage.crlfLines("") == "")
    }
}

@Suite struct SubjectEncodingTests {
    /// RFC 2047: no encoded word longer than 75 characters, and the reader gets the subject back.
    @Test(arguments: [OutgoingMessage.Charset.utf8, .iso2022jp])
    func longSubjectsSplitIntoShortWordsAndReadBack(charset: OutgoingMessage.Charset) {
        let subjects = ["【受付】支援開始報告 ばそな建設/専門家次郎/8月21日 10:30",
                        String(repeating: "株式会社ミドリ精機・高橋①郎ABC", count: 6), "受", "ascii only subject"]
        for subject in subjects {
            let encoded = OutgoingMessage.encodeWords(subject, charset: charset)
            for word in encoded.components(separatedBy: "\r\n ") { #expect(word.count <= 75, "\(word)") }
            #expect(EncodedWords.decode(encoded.replacingOccurrences(of: "\r\n", with: "")).text == subject)
        }
    }
}
