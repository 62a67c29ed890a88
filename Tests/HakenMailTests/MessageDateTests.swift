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
