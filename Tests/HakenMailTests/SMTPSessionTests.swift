import Foundation
import Testing
@testable import HakenMail

@Suite struct SMTPSessionTests {
    func session(maxSize: Int = 1000) -> SMTPSession {
        SMTPSession(configuration: .init(hostname: "example.jp", acceptedRecipients: ["Senmonka-Haken@example.jp"], maxMessageSize: maxSize,
                                         maxRecipients: 3, maxErrors: 4))
    }

    func replies(_ actions: [SMTPSession.Action]) -> [String] {
        actions.compactMap { if case .reply(let text) = $0 { return String(text.prefix(3)) } else { return nil } }
    }

    @Test func aWholeTransactionDeliversTheUnstuffedMessage() {
        var s = session()
        #expect(replies(s.receive(line: Array("EHLO phone.example".utf8)[...])) == ["250"])
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp> SIZE=100 BODY=8BITMIME SMTPUTF8".utf8)[...])) == ["250"])
        #expect(replies(s.receive(line: Array("RCPT TO:<senmonka-haken@EXAMPLE.jp>".utf8)[...])) == ["250"])
        #expect(replies(s.receive(line: Array("DATA".utf8)[...])) == ["354"])
        #expect(s.receive(line: Array("Subject: x".utf8)[...], hadCR: false).isEmpty)
        #expect(s.receive(line: Array("..dot".utf8)[...]).isEmpty)
        let end = s.receive(line: Array(".".utf8)[...])
        guard case .deliver(let envelope, let bytes)? = end.first else {
            Issue.record("no delivery: \(end)")
            return
        }
        #expect(envelope.mailFrom == "a@b.jp")
        #expect(envelope.recipients == ["senmonka-haken@EXAMPLE.jp"])
        #expect(String(decoding: bytes, as: UTF8.self) == "Subject: x\n.dot\r\n")
        #expect(replies(s.delivered(queueID: "q1")) == ["250"])
        #expect(replies(s.delivered(queueID: nil)) == ["451"])
    }

    @Test func commandsOutOfOrderAndForeignRecipientsAreRefused() {
        var s = session()
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp>".utf8)[...])) == ["503"])
        _ = s.receive(line: Array("HELO x".utf8)[...])
        #expect(replies(s.receive(line: Array("RCPT TO:<x@y.jp>".utf8)[...])) == ["503"])
        #expect(replies(s.receive(line: Array("DATA".utf8)[...])) == ["503"])
        _ = s.receive(line: Array("MAIL FROM:<>".utf8)[...])
        #expect(replies(s.receive(line: Array("DATA".utf8)[...])) == ["554", "421"])   // fourth error closes
    }

    @Test func relayingRecipientLimitsAndVerbsWeDoNotOffer() {
        var s = session()
        _ = s.receive(line: Array("EHLO x".utf8)[...])
        _ = s.receive(line: Array("MAIL FROM:<a@b.jp>".utf8)[...])
        #expect(replies(s.receive(line: Array("RCPT TO:<victim@elsewhere.example>".utf8)[...])) == ["550"])
        for _ in 0..<3 { _ = s.receive(line: Array("RCPT TO:<senmonka-haken@example.jp>".utf8)[...]) }
        #expect(replies(s.receive(line: Array("RCPT TO:<senmonka-haken@example.jp>".utf8)[...])) == ["452"])
        #expect(replies(s.receive(line: Array("VRFY root".utf8)[...])) == ["502"])
        #expect(replies(s.receive(line: Array("EXPN staff".utf8)[...])) == ["502"])
        #expect(replies(s.receive(line: Array("NOOP".utf8)[...])) == ["250"])
        #expect(replies(s.receive(line: Array("RSET".utf8)[...])) == ["250"])
        #expect(s.receive(line: Array("QUIT".utf8)[...]).last == .close)
    }

    @Test func sizeLimitsAreEnforcedInMailAndInData() {
        var s = session(maxSize: 50)
        _ = s.receive(line: Array("EHLO x".utf8)[...])
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp> SIZE=51".utf8)[...])) == ["552"])
        _ = s.receive(line: Array("MAIL FROM:<a@b.jp>".utf8)[...])
        _ = s.receive(line: Array("RCPT TO:<senmonka-haken@example.jp>".utf8)[...])
        _ = s.receive(line: Array("DATA".utf8)[...])
        for _ in 0..<10 { #expect(s.receive(line: Array("0123456789".utf8)[...]).isEmpty) }
        #expect(replies(s.receive(line: Array(".".utf8)[...])) == ["552"])
        // The session goes on: a new transaction works.
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp>".utf8)[...])) == ["250"])
        #expect(replies(s.receiveOverlongLine()) == ["500"])
    }

    @Test func receiptsAreMarkedAutoRepliedAndEncodedForPhones() {
        let message = OutgoingMessage(from: "senmonka-haken@example.jp", to: "info@basona.example.jp",
                                      subject: "【受付】支援開始報告 ばそな建設 8月21日(水) 10:30", body: "ばそな建設様\n①受け付けました。",
                                      inReplyTo: "<r1@x>", messageID: "<m1@example.jp>", date: .init(timeIntervalSince1970: 1_566_351_000))
        let read = MailReader.read(Array(message.rendered.utf8))
        #expect(read.subject == "【受付】支援開始報告 ばそな建設 8月21日(水) 10:30")
        #expect(read.autoSubmitted)
        #expect(read.textBody == "ばそな建設様\r\n①受け付けました。")
        #expect(read.problems == ["not-a-report"])
        #expect(message.rendered.utf8.allSatisfy { $0 < 0x80 })

        var jis = message
        jis.charset = .iso2022jp
        let readJIS = MailReader.read(Array(jis.rendered.utf8))
        #expect(readJIS.subject == message.subject)
        #expect(readJIS.textBody?.trimmingCharacters(in: .whitespacesAndNewlines) == "ばそな建設様\r\n①受け付けました。")
        #expect(SMTPClient.dotStuffed("a\n.b\n") == "a\r\n..b\r\n.\r\n")
    }

    /// Only `<CRLF>.<CRLF>` ends DATA: `\n.\n`, `\r\n.\n` and `\n.\r\n` are data, so one
    /// transaction can never carry a second, forged message.
    @Test func bareLineFeedDotsAreDataSoNothingIsSmuggled() {
        var s = session(maxSize: 10_000)
        for command in ["EHLO x", "MAIL FROM:<a@b.jp>", "RCPT TO:<senmonka-haken@example.jp>", "DATA"] {
            _ = s.receive(line: Array(command.utf8)[...])
        }
        let smuggled: [(String, Bool)] = [("hello", false), (".", false), ("MAIL FROM:<info@basona.example.jp>", true), ("RCPT TO:<senmonka-haken@example.jp>", true),
                                           ("DATA", true), (".", false), ("From: info@basona.example.jp", false), (".", true), ("after", true)]
        for (line, hadCR) in smuggled {
            #expect(s.receive(line: Array(line.utf8)[...], hadCR: hadCR).isEmpty, "\(line)")
        }
        let end = s.receive(line: Array(".".utf8)[...])
        guard case .deliver(_, let bytes)? = end.first else {
            Issue.record("no delivery: \(end)")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == "hello\n.\nMAIL FROM:<info@basona.example.jp>\r\nRCPT TO:<senmonka-haken@example.jp>\r\nDATA\r\n.\nFrom: info@basona.example.jp\n.\r\nafter\r\n")
    }

    @Test func aSizeTooLargeForAnyIntegerIsOversized() {
        var s = session()
        _ = s.receive(line: Array("EHLO x".utf8)[...])
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp> SIZE=99999999999999999999".utf8)[...])) == ["552"])
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp> SIZE=12ab".utf8)[...])) == ["501"])
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp> SIZE=".utf8)[...])) == ["501"])
        #expect(replies(s.receive(line: Array("MAIL FROM:<a@b.jp> SIZE=1000".utf8)[...])) == ["250"])
    }
}
