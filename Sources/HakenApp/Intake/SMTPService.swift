import Foundation
import HakenMail
import Logging
import NIOSSL
import ServiceLifecycle
import Vapor

/// The SMTP listener of `hakendesk serve` (HAKEN_SMTP_PORT): accepts mail for the
/// secretariat address and stores each message durably before answering 250 (DEC-8).
public struct SMTPService: Service {
    let app: Application

    public init(app: Application) { self.app = app }

    public func run() async throws {
        let services = app.haken
        let settings = services.configuration.mail
        let logger = Logger(label: "hakendesk.smtp")
        let app = self.app
        var tls: NIOSSLContext?
        if let certificate = settings.tlsCertificateFile, let key = settings.tlsKeyFile {
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            tls = try NIOSSLContext(configuration: configuration)
        }
        let server = SMTPServer(
            configuration: .init(
                host: settings.smtpHost, port: settings.smtpPort,
                session: .init(hostname: settings.senderAddress.split(separator: "@").last.map(String.init) ?? "hakendesk",
                               acceptedRecipients: settings.secretariatAddresses, maxMessageSize: settings.maxMessageSize,
                               startTLS: tls != nil),
                maxConnections: settings.maxConnections,
                maxConnectionsPerAddress: settings.maxConnectionsPerAddress,
                idleTimeout: .seconds(Int64(settings.idleTimeoutSeconds)),
                overloadIdleTimeout: .seconds(Int64(min(settings.overloadIdleTimeoutSeconds, settings.idleTimeoutSeconds))),
                tls: tls
            ),
            group: app.eventLoopGroup, logger: logger
        ) { envelope, message in
            let accepted = try await services.intake.accept(message, envelopeFrom: envelope.mailFrom, envelopeTo: envelope.recipients,
                                                            source: "smtp", receivedAt: app.hakenClock.now(),
                                                            clientAddress: envelope.clientAddress, helo: envelope.helo, on: app.db)
            return accepted.id.uuidString.lowercased()
        }
        let port = try await server.start()
        logger.notice("SMTP listening on \(settings.smtpHost):\(port) for \(settings.secretariatAddresses.joined(separator: ", "))")
        try? await gracefulShutdown()
        await server.stop()
    }
}
