import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends one message through a relay (RFC 5321 client side, SwiftNIO): EHLO, optional
/// AUTH PLAIN, MAIL, RCPT, DATA with dot-stuffing, QUIT. Every reply is checked; a 4xx
/// is temporary (retry later), a 5xx permanent.
public struct SMTPClient: Sendable {
    public struct Relay: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String?
        public var password: String?
        /// Require STARTTLS before anything else is said.
        public var startTLS: Bool
        /// A CA certificate (PEM) to trust besides the system's, for a relay with a private CA.
        public var caFile: String?

        public init(host: String, port: Int, user: String? = nil, password: String? = nil, startTLS: Bool = false, caFile: String? = nil) {
            self.host = host; self.port = port; self.user = user; self.password = password
            self.startTLS = startTLS; self.caFile = caFile
        }

        /// `host:port`.
        public init?(_ text: String, user: String? = nil, password: String? = nil, startTLS: Bool = false, caFile: String? = nil) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
            self.init(host: String(text[..<colon]), port: port, user: user, password: password, startTLS: startTLS, caFile: caFile)
        }
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// A 4xx reply, a dropped connection or a timeout: try again later.
        case temporary(String)
        /// A 5xx reply: this message will not go through as it is.
        case permanent(String)

        public var description: String {
            switch self {
            case .temporary(let text): return "temporary: \(text)"
            case .permanent(let text): return "permanent: \(text)"
            }
        }
    }

    let relay: Relay
    let group: any EventLoopGroup
    let heloName: String
    let timeout: TimeAmount

    public init(relay: Relay, group: any EventLoopGroup, heloName: String, timeout: TimeAmount = .seconds(30)) {
        self.relay = relay
        self.group = group
        self.heloName = heloName
        self.timeout = timeout
    }

    /// Returns the relay's final reply to the message (e.g. `250 2.0.0 Ok: queued as …`).
    @discardableResult
    public func send(from sender: String, to recipient: String, message: String) async throws -> String {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(timeout)
                .connect(host: relay.host, port: relay.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Failure.temporary("cannot connect to \(relay.host):\(relay.port): \(error)")
        }
        let timeout = self.timeout
        return try await channel.executeThenClose { inbound, outbound in
            var replies = ReplyReader(inbound.makeAsyncIterator(), timeout: timeout)
            func expect(_ allowed: ClosedRange<Int>, _ what: String) async throws -> String {
                let (code, text) = try await replies.next()
                guard allowed.contains(code) else {
                    throw code >= 500 ? Failure.permanent("\(what): \(code) \(text)") : Failure.temporary("\(what): \(code) \(text)")
                }
                return "\(code) \(text)"
            }
            func write(_ text: String) async throws {
                try await outbound.write(ByteBuffer(string: text))
            }
            _ = try await expect(220...220, "greeting")
            try await write("EHLO \(heloName)\r\n")
            var ehlo = try await expect(250...250, "EHLO")
            if relay.startTLS {
                guard ehlo.uppercased().contains("STARTTLS") else { throw Failure.temporary("relay does not offer STARTTLS") }
                try await write("STARTTLS\r\n")
                _ = try await expect(220...220, "STARTTLS")
                try await startTLS(on: channel.channel)
                try await write("EHLO \(heloName)\r\n")
                ehlo = try await expect(250...250, "EHLO after STARTTLS")
            }
            if let user = relay.user, let password = relay.password {
                guard ehlo.uppercased().contains("AUTH") else { throw Failure.permanent("relay offers no AUTH") }
                let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
                try await write("AUTH PLAIN \(token)\r\n")
                _ = try await expect(235...235, "AUTH")
            }
            let eightBit = message.utf8.contains { $0 >= 0x80 }
            try await write("MAIL FROM:<\(sender)>\(eightBit ? " BODY=8BITMIME" : "")\r\n")
            _ = try await expect(250...250, "MAIL FROM")
            try await write("RCPT TO:<\(recipient)>\r\n")
            _ = try await expect(250...251, "RCPT TO")
            try await write("DATA\r\n")
            _ = try await expect(354...354, "DATA")
            try await write(Self.dotStuffed(message))
            let final = try await expect(250...250, "message")
            try? await write("QUIT\r\n")
            _ = try? await replies.next()
            return final
        }
    }

    /// Puts TLS in front of the connection (after the relay's 220 to STARTTLS), verifying the
    /// relay's certificate against the system's roots and `caFile`.
    func startTLS(on channel: any Channel) async throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile = relay.caFile { configuration.additionalTrustRoots = [.file(caFile)] }
        let context = try NIOSSLContext(configuration: configuration)
        let isAddress = relay.host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        let hostname = isAddress ? nil : relay.host
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
        }.get()
    }

    /// CRLF line ends, a leading dot doubled, and the terminating `.` line.
    static func dotStuffed(_ message: String) -> String {
        let normalized = message.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        var lines = normalized.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n") + "\r\n.\r\n"
    }

    /// Reads multi-line replies (`250-…` … `250 …`) from the inbound stream.
    struct ReplyReader {
        var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        var buffer: [UInt8] = []
        let timeout: TimeAmount

        init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, timeout: TimeAmount) {
            self.iterator = iterator
            self.timeout = timeout
        }

        mutating func next() async throws -> (Int, String) {
            var text: [String] = []
            while true {
                let line = try await nextLine()
                guard line.count >= 3, let code = Int(line.prefix(3)) else { throw Failure.temporary("malformed reply: \(line)") }
                text.append(String(line.dropFirst(4)))
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                    return (code, text.joined(separator: " "))
                }
            }
        }

        mutating func nextLine() async throws -> String {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    var line = Array(buffer[..<newline])
                    buffer.removeSubrange(...newline)
                    if line.last == 0x0D { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                guard let chunk = try await iterator.next() else { throw Failure.temporary("connection closed by relay") }
                buffer.append(contentsOf: chunk.readableBytesView)
                if buffer.count > 1_000_000 { throw Failure.temporary("reply too long") }
            }
        }
    }
}
