import Foundation
import NIOCore
import NIOPosix

/// What the sender checks ask of DNS. A lookup never throws: a name that does not exist or
/// has no such record is `.none`; a timeout or a server failure is `.failed` (SPF and DKIM
/// call that a temperror: nobody can tell yet).
public enum DNSResult<Value: Sendable>: Sendable {
    case found(Value)
    case none
    case failed(String)
}

public protocol DNSLookup: Sendable {
    func lookup(_ name: String, _ type: DNSWire.RecordType) async -> DNSResult<[DNSWire.Record]>
}

extension DNSLookup {
    public func txt(_ name: String) async -> DNSResult<[String]> {
        switch await lookup(name, .txt) {
        case .found(let records):
            let texts = records.compactMap { if case .txt(let text) = $0 { return text } else { return nil } }
            return texts.isEmpty ? .none : .found(texts)
        case .none: return .none
        case .failed(let why): return .failed(why)
        }
    }
}

/// A stub resolver over SwiftNIO: UDP to one recursive resolver (the system's, or
/// `HAKEN_DNS_RESOLVER`), TCP when the answer is truncated, a timeout per try and one retry.
/// Answers are cached for a few minutes (failures are not), so a batch of mails from one
/// carrier asks once.
public final class DNSClient: DNSLookup, @unchecked Sendable {
    public struct Server: Equatable, Sendable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int = 53) { (self.host, self.port) = (host, port) }

        /// `127.0.0.1`, `127.0.0.1:5353`, `[::1]:53`.
        public init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") {
                let host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
                let rest = trimmed[trimmed.index(after: close)...]
                if rest.isEmpty { self.init(host: host); return }
                guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65535).contains(port) else { return nil }
                self.init(host: host, port: port)
                return
            }
            let parts = trimmed.split(separator: ":")
            if parts.count == 2 {
                guard let port = Int(parts[1]), (1...65535).contains(port) else { return nil }
                self.init(host: String(parts[0]), port: port)
            } else if parts.count >= 1, !trimmed.isEmpty {
                self.init(host: trimmed)  // a bare IPv6 address, or a host
            } else {
                return nil
            }
        }

        /// The first `nameserver` of /etc/resolv.conf, or loopback.
        public static func system(resolvConf: String = "/etc/resolv.conf") -> Server {
            if let text = try? String(contentsOfFile: resolvConf, encoding: .utf8) {
                for line in text.split(whereSeparator: \.isNewline) {
                    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    if words.count >= 2, words[0] == "nameserver" { return Server(host: String(words[1])) }
                }
            }
            return Server(host: "127.0.0.1")
        }
    }

    let server: Server
    let group: any EventLoopGroup
    let timeout: TimeAmount
    let cacheSeconds: Double
    private let lock = NSLock()
    private var cache: [String: (expires: Date, answer: [DNSWire.Record]?)] = [:]

    public init(server: Server, group: any EventLoopGroup, timeout: TimeAmount = .seconds(2), cacheSeconds: Double = 300) {
        self.server = server
        self.group = group
        self.timeout = timeout
        self.cacheSeconds = cacheSeconds
    }

    public func lookup(_ name: String, _ type: DNSWire.RecordType) async -> DNSResult<[DNSWire.Record]> {
        let key = "\(type.rawValue) \(name.lowercased())"
        if let hit = cached(key) { return hit.map { .found($0) } ?? .none }
        var lastError = "DNS の応答がありません"
        for _ in 0..<2 {
            let id = UInt16.random(in: 0...UInt16.max)
            let query: [UInt8]
            do { query = try DNSWire.query(id: id, name: name, type: type) } catch { return .failed("名前が不正です: \(name)") }
            do {
                var answer = try DNSWire.parse(try await exchangeUDP(query), id: id, type: type)
                if answer == .truncated { answer = try DNSWire.parse(try await exchangeTCP(query), id: id, type: type) }
                switch answer {
                case .records(let records):
                    store(key, records.isEmpty ? nil : records)
                    return records.isEmpty ? .none : .found(records)
                case .noSuchName:
                    store(key, nil)
                    return .none
                case .truncated:
                    lastError = "DNS の応答が大きすぎます"
                case .failed(let rcode):
                    lastError = "DNS エラー (rcode \(rcode))"
                }
            } catch {
                lastError = "DNS の応答がありません (\(server.host):\(server.port))"
            }
        }
        return .failed(lastError)
    }

    private func cached(_ key: String) -> [DNSWire.Record]?? {
        lock.lock(); defer { lock.unlock() }
        guard let entry = cache[key], entry.expires > Date() else { return nil }
        return .some(entry.answer)
    }

    private func store(_ key: String, _ answer: [DNSWire.Record]?) {
        lock.lock(); defer { lock.unlock() }
        if cache.count > 10_000 { cache.removeAll() }
        cache[key] = (Date().addingTimeInterval(cacheSeconds), answer)
    }

    struct Timeout: Error {}

    private func withTimeout<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let nanoseconds = UInt64(max(1, timeout.nanoseconds))
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(nanoseconds: nanoseconds)
                throw Timeout()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw Timeout() }
            return first
        }
    }

    private func exchangeUDP(_ query: [UInt8]) async throws -> [UInt8] {
        let address = try SocketAddress.makeAddressResolvingHost(server.host, port: server.port)
        let channel = try await DatagramBootstrap(group: group)
            .bind(host: address.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withTimeout {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: query)))
                for try await envelope in inbound where envelope.remoteAddress == address {
                    let bytes = Array(envelope.data.readableBytesView)
                    // Another answer on our port (a late one, a spoofed one) is not ours.
                    if bytes.count >= 2, bytes[0] == query[0], bytes[1] == query[1] { return bytes }
                }
                throw Timeout()
            }
        }
    }

    private func exchangeTCP(_ query: [UInt8]) async throws -> [UInt8] {
        let (host, port, timeout) = (server.host, server.port, self.timeout)
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withTimeout {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(bytes: [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query))
                var received: [UInt8] = []
                for try await chunk in inbound {
                    received += chunk.readableBytesView
                    if received.count >= 2 {
                        let length = Int(received[0]) << 8 | Int(received[1])
                        if received.count >= 2 + length { return Array(received[2..<(2 + length)]) }
                    }
                    if received.count > 70_000 { break }
                }
                throw Timeout()
            }
        }
    }
}
