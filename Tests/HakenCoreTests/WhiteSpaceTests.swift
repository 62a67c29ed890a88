import HakenCore
import Testing

@Suite struct WhiteSpaceTests {
    /// The hand-written table must be Unicode's White_Space property, scalar for scalar.
    @Test func tableMatchesUnicodeProperty() {
        var checked = 0
        var differing: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.isWhiteSpace != scalar.properties.isWhitespace { differing.append("U+" + String(value, radix: 16)) }
            checked += 1
        }
        #expect(differing == [])
        #expect(checked > 1_100_000)
    }

    @Test func trimmingKeepsInnerSpaces() {
        #expect("\u{3000} ばそな 建設\t\u{A0}".trimmingWhitespace == "ばそな 建設")
        #expect(" \u{3000} ".trimmingWhitespace == "")
    }
}
