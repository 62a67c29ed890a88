import Foundation
import Testing
@testable import HakenMail

@Suite struct Base64Tests {
    func streamed(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { Base64.decode($0) { out.append(contentsOf: $0) } }
        return out
    }

    /// The four-at-a-time decoder agrees with Foundation for every length, with line breaks,
    /// with and without padding, and skips bytes outside the alphabet as mail readers must.
    @Test func streamingDecoderMatchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Data(bytes).base64EncodedString()
            #expect(streamed(encoded) == bytes, "length \(length)")
            let lined = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            #expect(streamed(lined) == bytes, "length \(length) with line breaks")
            #expect(streamed(encoded.replacingOccurrences(of: "=", with: "")) == bytes, "length \(length) unpadded")
            var noisy = encoded
            if noisy.count > 3 { noisy.insert("*", at: noisy.index(noisy.startIndex, offsetBy: 3)) }
            #expect(streamed(" \t" + noisy + "\r\n") == bytes, "length \(length) with stray bytes")
        }
        let large = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(streamed(Data(large).base64EncodedString()) == large)
        // Chunk edges fall at every phase of the eight- and four-character steps.
        for length in [49_151, 49_152, 49_153, 98_305, 147_458] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }
            let lined = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            #expect(streamed(lined) == bytes, "length \(length) with line breaks")
            #expect(streamed(Data(bytes).base64EncodedString()) == bytes, "length \(length) in one line")
        }
    }
}
