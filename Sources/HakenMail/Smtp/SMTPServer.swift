import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// HakenDesk's SMTP listener (SwiftNIO). Each connection gets the line framing, an idle
/// timeout and an `SMTPSessionHandler`; a delivered message goes to `deliver`, which must
/// store it durably before it returns (DEC-8) — only then does the client get 250.
public final class SMTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var session: SMTPSession.Configuration
        public var maxConnections: Int
        /// Simultaneous connections from one client address (one host cannot take them all).
        public var maxConnectionsPerAddress: Int
        public var idleTimeout: TimeAmount
        /// The idle timeout of a connection accepted while the server is loaded (over
        /// `overloadShare` of `maxConnections`): idle clients then make room sooner.
        public var overloadIdleTimeout: TimeAmount
        public var overloadShare: Double = 0.75
        public var maxLineLength: Int
        /// The certificate for STARTTLS; nil: not offered.
        public var tls: NIOSSLContext?

        public init(host: String, port: Int, session: SMTPSession.Configuration, maxConnections: Int = 500,
                    maxConnectionsPerAddress: Int = 50, idleTimeout: TimeAmount = .minutes(5),
                    overloadIdleTimeout: TimeAmount = .seconds(30), maxLineLength: Int = 64 * 1024, tls: NIOSSLContext? = nil) {
            self.tls = tls
            self.host = host
            self.port = port
            self.session = session
            self.maxConnections = maxConnections
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.idleTimeout = idleTimeout
            self.overloadIdleTimeout = overloadIdleTimeout
            self.maxLineLength = maxLineLength
        }
    }

    /// Connections the process can hold without starving HTTP and the database of file
    /// descriptors: half of what is left of the soft `RLIMIT_NOFILE` after a reserve of 256,
    /// at most 2,000 (with `ulimit -n 1024`: 384).
    public static func defaultMaxConnections() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 384 }
        let soft = limit.rlim_cur == rlim_t.max ? UInt64(1 << 20) : UInt64(limit.rlim_cur)   // RLIM_INFINITY
        let usable = soft > 256 ? (soft - 256) / 2 : 8
        return Int(min(max(usable, 8), 2000))
    }

    /// Stores a message and returns its queue id.
    public typealias Deliver = @Sendable (SMTPSession.Envelope, [UInt8]) async throws -> String

    let configuration: Configuration
    let group: any EventLoopGroup
    let deliver: Deliver
    let logger: Logger
    let connections = NIOLockedValueBox(Connections())

    struct Connections {
        var total = 0
        var byAddress: [String: Int] = [:]
    }

    enum Admission: Equatable { case admitted, serverFull, addressFull }
    let channel = NIOLockedValueBox<(any Channel)?>(nil)

    public init(configuration: Configuration, group: any EventLoopGroup, logger: Logger, deliver: @escaping Deliver) {
        self.configuration = configuration
        self.group = group
        self.deliver = deliver
        self.logger = logger
    }

    /// Binds and returns the port actually bound (useful with port 0 in tests).
    @discardableResult
    public func start() async throws -> Int {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(handlers())
                }
            }
        let bound = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        channel.withLockedValue { $0 = bound }
        return bound.localAddress?.port ?? configuration.port
    }

    /// One connection's handlers. The idle timer sits after the line decoder, so it counts
    /// complete lines, not bytes: a client trickling one byte a minute is cut off like a silent
    /// one. A connection accepted under load gets the shorter timeout.
    func handlers() -> [any ChannelHandler] {
        let loaded = Double(connections.withLockedValue { $0.total }) >= Double(configuration.maxConnections) * configuration.overloadShare
        return [
            ByteToMessageHandler(SMTPLineDecoder(maxLength: configuration.maxLineLength)),
            IdleStateHandler(readTimeout: loaded ? configuration.overloadIdleTimeout : configuration.idleTimeout),
            SMTPSessionHandler(server: self),
        ]
    }

    /// Stops accepting; sessions in progress finish on their own or by idle timeout.
    public func stop() async {
        let bound = channel.withLockedValue { value -> (any Channel)? in
            defer { value = nil }
            return value
        }
        try? await bound?.close()
    }

    func connectionOpened(from address: String) -> Admission {
        connections.withLockedValue { state in
            guard state.total < configuration.maxConnections else { return .serverFull }
            guard state.byAddress[address, default: 0] < configuration.maxConnectionsPerAddress else { return .addressFull }
            state.total += 1
            state.byAddress[address, default: 0] += 1
            return .admitted
        }
    }

    func connectionClosed(from address: String) {
        connections.withLockedValue { state in
            state.total -= 1
            let left = state.byAddress[address, default: 1] - 1
            state.byAddress[address] = left > 0 ? left : nil
        }
    }

    /// Open connections (for tests and metrics).
    public var openConnections: Int { connections.withLockedValue { $0.total } }
}

/// One SMTP connection: feeds lines to the session state machine and writes its replies.
/// While a message is being stored the connection is not read (back-pressure); the lines
/// already framed from the last read wait in order, at most `maxWaiting` of them.
final class SMTPSessionHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = SMTPLine
    typealias OutboundOut = ByteBuffer

    /// One read is at most a few tens of kilobytes, so a pipelining client never gets near
    /// this; a client that does is misbehaving and is closed.
    static let maxWaiting = 10_000

    let server: SMTPServer
    var session: SMTPSession
    var storing = false
    var waiting: [SMTPLine] = []
    var counted = false
    var peer = ""
    var closing = false
    /// After STARTTLS, until the handshake is done: anything that arrives is plain text that
    /// was pipelined behind the command (an injection attempt, RFC 3207 §4.2) and is dropped.
    var awaitingHandshake = false

    init(server: SMTPServer) {
        self.server = server
        self.session = SMTPSession(configuration: server.configuration.session)
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress?.ipAddress ?? "unknown"
        switch server.connectionOpened(from: peer) {
        case .admitted: break
        case .serverFull:
            send(context, "421 4.3.2 Too many connections, try again later")
            context.close(promise: nil)
            return
        case .addressFull:
            send(context, "421 4.7.0 Too many connections from your address, try again later")
            context.close(promise: nil)
            return
        }
        counted = true
        send(context, session.greeting)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if counted { server.connectionClosed(from: peer) }
        counted = false
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        if awaitingHandshake { return }
        if storing || closing {
            guard waiting.count < Self.maxWaiting else {
                closing = true
                send(context, "421 4.7.0 Too many pipelined commands, closing connection")
                context.close(promise: nil)
                return
            }
            waiting.append(line)
            return
        }
        handle(line, context: context)
    }

    func handle(_ line: SMTPLine, context: ChannelHandlerContext) {
        let actions: [SMTPSession.Action]
        switch line {
        case .line(let bytes, let hadCR): actions = session.receive(line: bytes[...], hadCR: hadCR)
        case .overlong: actions = session.receiveOverlongLine()
        }
        perform(actions, context: context)
    }

    func perform(_ actions: [SMTPSession.Action], context: ChannelHandlerContext) {
        for action in actions {
            switch action {
            case .reply(let text):
                send(context, text)
            case .startTLS:
                guard let tls = server.configuration.tls else { continue }
                waiting.removeAll()
                awaitingHandshake = true
                // The 220 has already been written in plain text; the TLS handler goes in
                // front of everything before the next byte is read.
                do {
                    try context.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls), position: .first)
                } catch {
                    context.close(promise: nil)
                }
                return
            case .close:
                closing = true
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
                    channel.close(promise: nil)
                }
                return
            case .deliver(var envelope, let message):
                envelope.clientAddress = context.channel.remoteAddress?.ipAddress
                storing = true
                updateReading(context)
                let promise = context.eventLoop.makePromise(of: String.self)
                let deliver = server.deliver
                let delivered = envelope   // a constant for the task (the case binding is a var)
                promise.completeWithTask { try await deliver(delivered, message) }
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                promise.futureResult.whenComplete { result in
                    let (handler, context) = bound.value
                    handler.finishDelivery(result, context: context)
                }
                return
            }
        }
    }

    /// Back on the event loop once the message is stored (or could not be): answer it, then
    /// go on with whatever the client pipelined meanwhile.
    func finishDelivery(_ result: Result<String, any Error>, context: ChannelHandlerContext) {
        storing = false
        updateReading(context)
        let queueID: String?
        switch result {
        case .success(let id): queueID = id
        case .failure(let error):
            server.logger.error("could not store a message", metadata: ["error": "\(error)"])
            queueID = nil
        }
        perform(session.delivered(queueID: queueID), context: context)
        drainWaiting(context: context)
    }

    func drainWaiting(context: ChannelHandlerContext) {
        while !storing && !closing && !waiting.isEmpty {
            handle(waiting.removeFirst(), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            awaitingHandshake = false
            return
        }
        if event is IdleStateHandler.IdleStateEvent {
            send(context, "421 4.4.2 \(server.configuration.session.hostname) Idle timeout, closing connection")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Back-pressure: a client that pipelines commands but never reads our replies stops
    /// being read until its socket drains, so replies cannot pile up in memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReading(context)
        context.fireChannelWritabilityChanged()
    }

    /// The connection is read only while no message is being stored and our replies drain.
    func updateReading(_ context: ChannelHandlerContext) {
        context.channel.setOption(ChannelOptions.autoRead, value: context.channel.isWritable && !storing).whenFailure { _ in }
        if !storing && context.channel.isWritable { context.read() }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func send(_ context: ChannelHandlerContext, _ text: String) {
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count + 2)
        buffer.writeString(text)
        buffer.writeString("\r\n")
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}
