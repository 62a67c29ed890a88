import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing
@testable import HakenMail

/// The SMTP channel handlers on `EmbeddedChannel`: framing, pipelining while a message is
/// stored, STARTTLS injection, overlong lines, the connection caps and the idle timeout.
@Suite struct SMTPHandlerTests {
    /// Messages handed to the store, and a gate the test opens to let a store finish.
    final class Store: Sendable {
        let messages = NIOLockedValueBox<[[UInt8]]>([])
        let gate = NIOLockedValueBox<CheckedContinuation<Void, Never>?>(nil)
        let holding: Bool

        init(holding: Bool) { self.holding = holding }

        func deliver(_ envelope: SMTPSession.Envelope, _ bytes: [UInt8]) async -> String {
            if holding { await withCheckedContinuation { continuation in gate.withLockedValue { $0 = continuation } } }
            messages.withLockedValue { $0.append(bytes) }
            return "q\(messages.withLockedValue { $0.count })"
        }

        func release() { gate.withLockedValue { $0?.resume(); $0 = nil } }
        var isWaiting: Bool { gate.withLockedValue { $0 != nil } }
    }

    static func server(_ store: Store, loop: EmbeddedEventLoop, maxConnections: Int = 10, perAddress: Int = 5) -> SMTPServer {
        let session = SMTPSession.Configuration(hostname: "mx.test", acceptedRecipients: ["senmonka-haken@localhost"], maxMessageSize: 10_000)
        let configuration = SMTPServer.Configuration(host: "127.0.0.1", port: 0, session: session, maxConnections: maxConnections,
                                                     maxConnectionsPerAddress: perAddress, idleTimeout: .seconds(300),
                                                     overloadIdleTimeout: .seconds(30), maxLineLength: 100)
        return SMTPServer(configuration: configuration, group: loop, logger: Logger(label: "test")) { envelope, bytes in
            await store.deliver(envelope, bytes)
        }
    }

    static func connect(_ server: SMTPServer, loop: EmbeddedEventLoop, from ip: String = "192.0.2.1") throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handlers: server.handlers(), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: ip, port: 40_000)).wait()
        return channel
    }

    /// Everything written so far, as text.
    static func output(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    static func write(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    static func codes(_ text: String) -> [String] {
        text.components(separatedBy: "\r\n").filter { Array($0.utf8).count >= 4 && Array($0.utf8)[3] == UInt8(ascii: " ") }.map { String($0.prefix(3)) }
    }

    /// Polls the embedded loop until `condition` holds (a store finishes on another task).
    static func until(_ loop: EmbeddedEventLoop, _ condition: () throws -> Bool) async throws {
        for _ in 0..<500 {
            loop.run()
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("condition not reached")
    }

    @Test func theLineDecoderFramesCRLFAndBareLFAndDropsOverlongLines() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPLineDecoder(maxLength: 10)))
        try channel.writeInbound(ByteBuffer(string: "EHLO a\r\nNOOP\n" + String(repeating: "x", count: 25)))
        try channel.writeInbound(ByteBuffer(string: "yy\r\nQUIT\r\n"))
        var lines: [SMTPLine] = []
        while let line = try channel.readInbound(as: SMTPLine.self) { lines.append(line) }
        #expect(lines == [.line(Array("EHLO a".utf8), hadCR: true), .line(Array("NOOP".utf8), hadCR: false), .overlong,
                          .line(Array("QUIT".utf8), hadCR: true)])
    }

    @Test func pipelinedLinesWaitWhileTheMessageIsStoredAndReadingPauses() async throws {
        let loop = EmbeddedEventLoop()
        let store = Store(holding: true)
        let server = Self.server(store, loop: loop)
        let channel = try Self.connect(server, loop: loop)
        #expect(Self.codes(try Self.output(channel)) == ["220"])
        try Self.write(channel, "EHLO phone\r\nMAIL FROM:<a@b.jp>\r\nRCPT TO:<senmonka-haken@localhost>\r\nDATA\r\nSubject: 1\r\n\r\nbody\r\n.\r\n"
                                + "MAIL FROM:<a@b.jp>\r\nRCPT TO:<senmonka-haken@localhost>\r\nDATA\r\nSubject: 2\r\n\r\n.\r\nQUIT\r\n")
        try await Self.until(loop) { store.isWaiting }
        #expect(Self.codes(try Self.output(channel)) == ["250", "250", "250", "354"])   // nothing after the first message yet
        let autoRead = channel.options.last { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool
        #expect(autoRead == false)   // not read while storing
        store.release()
        try await Self.until(loop) { store.isWaiting }
        #expect(Self.codes(try Self.output(channel)) == ["250", "250", "250", "354"])   // first stored; the second waits
        store.release()
        try await Self.until(loop) { !channel.isActive }
        #expect(store.messages.withLockedValue { $0.map { String(decoding: $0, as: UTF8.self) } } == ["Subject: 1\r\n\r\nbody\r\n", "Subject: 2\r\n\r\n"])
    }

    @Test func aSmuggledSecondMessageIsStoredAsPartOfTheFirst() async throws {
        let loop = EmbeddedEventLoop()
        let store = Store(holding: false)
        let channel = try Self.connect(Self.server(store, loop: loop), loop: loop)
        try Self.write(channel, "EHLO x\r\nMAIL FROM:<a@b.jp>\r\nRCPT TO:<senmonka-haken@localhost>\r\nDATA\r\n"
                                + "hello\n.\nMAIL FROM:<info@basona.example.jp>\nRCPT TO:<senmonka-haken@localhost>\nDATA\nFrom: info@basona.example.jp\n\nforged\n.\n"
                                + "\r\n.\r\n")
        try await Self.until(loop) { store.messages.withLockedValue { $0.count } == 1 }
        loop.run()
        #expect(store.messages.withLockedValue { $0.count } == 1)
        #expect(String(decoding: store.messages.withLockedValue { $0[0] }, as: UTF8.self).contains("forged\n.\n"))
    }

    @Test func plainTextPipelinedAfterSTARTTLSIsDroppedAndOverlongCommandsAreRefused() throws {
        let loop = EmbeddedEventLoop()
        let store = Store(holding: false)
        var configuration = SMTPSession.Configuration(hostname: "mx.test", acceptedRecipients: ["senmonka-haken@localhost"], maxMessageSize: 10_000)
        configuration.startTLS = true
        let server = SMTPServer(configuration: .init(host: "127.0.0.1", port: 0, session: configuration, maxLineLength: 100),
                                group: loop, logger: Logger(label: "test")) { envelope, bytes in await store.deliver(envelope, bytes) }
        let channel = try Self.connect(server, loop: loop)
        _ = try Self.output(channel)
        try Self.write(channel, "EHLO x\r\n" + String(repeating: "A", count: 300) + "\r\nNOOP\r\n")
        #expect(Self.codes(try Self.output(channel)) == ["250", "500", "250"])
        // STARTTLS is refused without a certificate in the server configuration, so the
        // session's own injection guard is what is tested here: RFC 3207 forgets everything.
        var session = SMTPSession(configuration: configuration)
        _ = session.receive(line: Array("EHLO x".utf8)[...])
        #expect(session.receive(line: Array("STARTTLS".utf8)[...]).contains(.startTLS))
        #expect(session.receive(line: Array("MAIL FROM:<a@b.jp>".utf8)[...]).first == .reply("503 5.5.1 Send EHLO first"))
    }

    @Test func connectionsAreCappedOverallAndPerAddress() throws {
        let loop = EmbeddedEventLoop()
        let server = Self.server(Store(holding: false), loop: loop, maxConnections: 4, perAddress: 2)
        let first = try Self.connect(server, loop: loop, from: "192.0.2.1")
        _ = try Self.connect(server, loop: loop, from: "192.0.2.1")
        let third = try Self.connect(server, loop: loop, from: "192.0.2.1")
        #expect(Self.codes(try Self.output(third)) == ["421"])
        #expect(!third.isActive)
        _ = try Self.connect(server, loop: loop, from: "192.0.2.2")
        _ = try Self.connect(server, loop: loop, from: "192.0.2.3")
        #expect(server.openConnections == 4)
        let fifth = try Self.connect(server, loop: loop, from: "192.0.2.4")
        #expect(try Self.output(fifth).hasPrefix("421 4.3.2"))
        _ = try first.close().wait()
        #expect(server.openConnections == 3)
        let again = try Self.connect(server, loop: loop, from: "192.0.2.1")
        #expect(Self.codes(try Self.output(again)) == ["220"])
    }

    @Test func idleConnectionsAreClosedAndSoonerUnderLoad() throws {
        let loop = EmbeddedEventLoop()
        let server = Self.server(Store(holding: false), loop: loop, maxConnections: 4, perAddress: 4)
        func idleTimeout() -> TimeAmount? { server.handlers().compactMap { $0 as? IdleStateHandler }.first?.readTimeout }
        #expect(idleTimeout() == .seconds(300))
        let calm = try Self.connect(server, loop: loop, from: "192.0.2.1")
        _ = try Self.connect(server, loop: loop, from: "192.0.2.2")
        _ = try Self.connect(server, loop: loop, from: "192.0.2.3")
        #expect(idleTimeout() == .seconds(30))   // three of four taken: a new connection gets the short timeout
        // The idle event (IdleStateHandler measures the real clock) closes the connection with 421.
        _ = try Self.output(calm)
        calm.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(try Self.output(calm).hasPrefix("421 4.4.2"))
        #expect(!calm.isActive)
        #expect(server.openConnections == 2)
    }
}
