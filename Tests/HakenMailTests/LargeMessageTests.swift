import Crypto
import Foundation
import Testing
@testable import HakenMail

@Suite struct LargeMessageTests {
    /// A 25 MB photo mail (an 18 MB picture in base64 lines) reads fully: the picture comes
    /// out through the sink in chunks, never as one more whole copy, and its hash is right.
    @Test func aTwentyFiveMegabyteMessageStreamsItsAttachment() {
        var picture = [UInt8](repeating: 0, count: 18 * 1024 * 1024)
        var state: UInt32 = 2_463_534_242
        for index in picture.indices {
            state ^= state << 13; state ^= state >> 17; state ^= state << 5
            picture[index] = UInt8(truncatingIfNeeded: state)
        }
        let encoded = Data(picture).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let head = "From: info@basona.example.jp\r\nTo: senmonka-haken@example.jp\r\nSubject: =?UTF-8?B?"
            + Data("ばそな建設/専門家次郎/8月21日(水)10:30~15:00".utf8).base64EncodedString()
            + "?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"big\"\r\n\r\n--big\r\n"
            + "Content-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"IMG_0001.JPG\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
        let raw = Array((head + encoded + "\r\n--big--\r\n").utf8)
        #expect(raw.count > 24 * 1024 * 1024)

        var chunks = 0
        var largestChunk = 0
        var hasher = SHA256()
        let message = MailReader.read(raw) { _, type, chunk in
            #expect(type == "image/jpeg")
            chunks += 1
            largestChunk = max(largestChunk, chunk.count)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk))
        }
        let expected = SHA256.hash(data: picture).map { String(format: "%02x", $0) }.joined()
        #expect(message.attachments.count == 1)
        #expect(message.attachments.first?.size == picture.count)
        #expect(message.attachments.first?.sha256 == expected)
        #expect(hasher.finalize().map { String(format: "%02x", $0) }.joined() == expected)
        #expect(chunks > 100)
        #expect(largestChunk <= 64 * 1024)
        #expect(message.report?.kind == .period)
        #expect(message.problems.isEmpty)
    }
}
