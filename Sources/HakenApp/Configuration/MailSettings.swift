import Foundation
import HakenMail
import HakenStore

/// Mail intake and sending settings (environment names in `fromEnvironment`).
public struct MailSettings: Sendable, Equatable {
    /// `HAKEN_SECRETARIAT_ADDRESS`: the address(es) reports are sent to, comma-separated.
    public var secretariatAddresses: [String]
    /// `HAKEN_SMTP_PORT` (default 2525); 0 turns the SMTP server off.
    public var smtpPort: Int
    /// `HAKEN_SMTP_HOST` (default: the HTTP host).
    public var smtpHost: String
    /// `HAKEN_SMTP_MAX_SIZE` in bytes (default 30 MB).
    public var maxMessageSize: Int
    /// `HAKEN_INBOUND_TOKEN`: bearer token for `POST /api/v1/inbound-mail` (MTA pipes).
    public var inboundToken: String?
    /// `HAKEN_MOBILE_DOMAINS`: carrier and smartphone domains accepted from unknown senders
    /// pending review (DEC-7).
    public var mobileDomains: [String]
    /// `HAKEN_TRUSTED_AUTHSERV_ID`: whose Authentication-Results to believe (behind our own
    /// MTA, which checks DKIM, SPF and DMARC); every other such header is ignored.
    public var trustedAuthservID: String?
    /// `HAKEN_SENDER_CHECK=dns`: receiving directly, check DKIM, SPF and DMARC ourselves
    /// (#12). `off` (the default, and the demo's): no sender authentication unless
    /// `HAKEN_TRUSTED_AUTHSERV_ID` names our MTA.
    public var senderCheck: Bool = false
    /// `HAKEN_DNS_RESOLVER=host[:port]`: the recursive resolver the checks ask (default: the
    /// first nameserver of /etc/resolv.conf). Tests point it at a DNS server they start.
    public var dnsResolver: String?
    /// `HAKEN_DNS_TIMEOUT_MS`: how long one DNS try may take (two tries per question).
    public var dnsTimeoutMilliseconds: Int = 2000
    /// `HAKEN_RECEIPTS_PER_HOUR`: at most this many receipts to one sender per hour (DEC-9).
    public var receiptsPerHour: Int
    /// `HAKEN_UNREGISTERED_RECEIPTS_PER_HOUR`: at most this many receipts per hour to senders
    /// who are not registered, all together (DEC-12: forged senders get no flood of backscatter).
    public var unregisteredReceiptsPerHour: Int = 100
    /// `HAKEN_TRUSTED_MTA`: the host name our own MTA writes in `Received: … by HOST …`; its
    /// time is the received time (DEC-1).
    public var trustedMTA: String?
    /// `HAKEN_RECEIPT_CHARSET`: `utf-8` (default) or `iso-2022-jp`.
    public var receiptCharset: String
    /// `HAKEN_SMTP_RELAY=host:port`: where outgoing mail goes; without it mail waits in the outbox.
    public var relay: String?
    /// `HAKEN_SMTP_RELAY_USER` / `HAKEN_SMTP_RELAY_PASSWORD`: AUTH PLAIN at the relay.
    public var relayUser: String?
    public var relayPassword: String?
    /// `HAKEN_SMTP_RELAY_STARTTLS=1`: require STARTTLS at the relay.
    public var relayStartTLS: Bool
    /// `HAKEN_SMTP_RELAY_CA`: a CA certificate (PEM) to trust for the relay besides the system's.
    public var relayCAFile: String?
    /// `HAKEN_SMTP_TLS_CERT` / `HAKEN_SMTP_TLS_KEY`: certificate chain and key (PEM) for
    /// STARTTLS on our SMTP server; without them STARTTLS is not offered.
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// `HAKEN_MAIL_PROCESSING=0` runs intake only (the mail waits queued until a node with
    /// processing starts); tests use it to stop between the 250 and the processing.
    public var processing: Bool = true
    /// `HAKEN_SMTP_IDLE_TIMEOUT`: seconds a connection may go without sending a complete line.
    public var idleTimeoutSeconds: Int = 300
    /// `HAKEN_SMTP_MAX_CONNECTIONS`: simultaneous SMTP connections; more get 421. Default:
    /// derived from the process's descriptor limit (`SMTPServer.defaultMaxConnections`), so
    /// HTTP and the database always have descriptors left.
    public var maxConnections: Int = SMTPServer.defaultMaxConnections()
    /// `HAKEN_SMTP_MAX_CONNECTIONS_PER_ADDRESS`: simultaneous connections from one client address.
    public var maxConnectionsPerAddress: Int = 50
    /// `HAKEN_SMTP_OVERLOAD_IDLE_TIMEOUT`: seconds of idleness allowed to a connection accepted
    /// while more than three quarters of the connections are taken.
    public var overloadIdleTimeoutSeconds: Int = 30

    public static let defaultMobileDomains = [
        "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "disney.ne.jp",
        "ymobile.ne.jp", "y-mobile.ne.jp", "emobile.ne.jp", "willcom.com", "pdx.ne.jp", "rakuten.jp",
        "uqmobile.jp", "icloud.com", "me.com", "mac.com", "gmail.com", "yahoo.co.jp", "ymail.ne.jp",
        "outlook.jp", "outlook.com", "hotmail.com", "hotmail.co.jp", "live.jp",
    ]

    public init(secretariatAddresses: [String] = ["senmonka-haken@localhost"], smtpPort: Int = 2525, smtpHost: String = "127.0.0.1",
                maxMessageSize: Int = 30 * 1024 * 1024, inboundToken: String? = nil, mobileDomains: [String] = defaultMobileDomains,
                trustedAuthservID: String? = nil, receiptsPerHour: Int = 10, receiptCharset: String = "utf-8",
                relay: String? = nil, relayUser: String? = nil, relayPassword: String? = nil, relayStartTLS: Bool = false) {
        self.secretariatAddresses = secretariatAddresses.map { $0.lowercased() }
        self.smtpPort = smtpPort
        self.smtpHost = smtpHost
        self.maxMessageSize = maxMessageSize
        self.inboundToken = inboundToken
        self.mobileDomains = mobileDomains.map { $0.lowercased() }
        self.trustedAuthservID = trustedAuthservID
        self.receiptsPerHour = receiptsPerHour
        self.receiptCharset = receiptCharset
        self.relay = relay
        self.relayUser = relayUser
        self.relayPassword = relayPassword
        self.relayStartTLS = relayStartTLS
    }

    /// The relay as the SMTP client takes it (nil without HAKEN_SMTP_RELAY).
    public var relayConfiguration: SMTPClient.Relay? {
        relay.flatMap { SMTPClient.Relay($0, user: relayUser, password: relayPassword, startTLS: relayStartTLS, caFile: relayCAFile) }
    }

    static func fromEnvironment(_ environment: [String: String], httpHost: String) throws -> MailSettings {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func list(_ name: String) -> [String]? {
            value(name).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }
        func number(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw AppConfiguration.Problem.invalidNumber(name, text)
            }
            return number
        }
        var settings = MailSettings(
            secretariatAddresses: list("HAKEN_SECRETARIAT_ADDRESS") ?? ["senmonka-haken@localhost"],
            smtpPort: try number("HAKEN_SMTP_PORT", 2525, 0...65535),
            smtpHost: value("HAKEN_SMTP_HOST") ?? httpHost,
            maxMessageSize: try number("HAKEN_SMTP_MAX_SIZE", 30 * 1024 * 1024, 1024...1_073_741_824),
            inboundToken: value("HAKEN_INBOUND_TOKEN"),
            mobileDomains: list("HAKEN_MOBILE_DOMAINS") ?? defaultMobileDomains,
            trustedAuthservID: value("HAKEN_TRUSTED_AUTHSERV_ID"),
            receiptsPerHour: try number("HAKEN_RECEIPTS_PER_HOUR", 10, 0...10_000),
            receiptCharset: value("HAKEN_RECEIPT_CHARSET")?.lowercased() ?? "utf-8",
            relay: value("HAKEN_SMTP_RELAY"),
            relayUser: value("HAKEN_SMTP_RELAY_USER"),
            relayPassword: value("HAKEN_SMTP_RELAY_PASSWORD"),
            relayStartTLS: value("HAKEN_SMTP_RELAY_STARTTLS") == "1"
        )
        settings.processing = value("HAKEN_MAIL_PROCESSING") != "0"
        settings.unregisteredReceiptsPerHour = try number("HAKEN_UNREGISTERED_RECEIPTS_PER_HOUR", 100, 0...100_000)
        settings.trustedMTA = value("HAKEN_TRUSTED_MTA")?.lowercased()
        switch value("HAKEN_SENDER_CHECK")?.lowercased() {
        case nil, "off", "0": settings.senderCheck = false
        case "dns", "1": settings.senderCheck = true
        case let other?: throw AppConfiguration.Problem.invalidValue("HAKEN_SENDER_CHECK", other, expected: "off or dns")
        }
        settings.dnsResolver = value("HAKEN_DNS_RESOLVER")
        if let resolver = settings.dnsResolver, DNSClient.Server(resolver) == nil {
            throw AppConfiguration.Problem.invalidValue("HAKEN_DNS_RESOLVER", resolver, expected: "host or host:port")
        }
        settings.dnsTimeoutMilliseconds = try number("HAKEN_DNS_TIMEOUT_MS", 2000, 50...30_000)
        settings.relayCAFile = value("HAKEN_SMTP_RELAY_CA")
        settings.idleTimeoutSeconds = try number("HAKEN_SMTP_IDLE_TIMEOUT", 300, 1...3600)
        settings.maxConnections = try number("HAKEN_SMTP_MAX_CONNECTIONS", SMTPServer.defaultMaxConnections(), 1...100_000)
        settings.maxConnectionsPerAddress = try number("HAKEN_SMTP_MAX_CONNECTIONS_PER_ADDRESS", 50, 1...100_000)
        settings.overloadIdleTimeoutSeconds = try number("HAKEN_SMTP_OVERLOAD_IDLE_TIMEOUT", 30, 1...3600)
        settings.tlsCertificateFile = value("HAKEN_SMTP_TLS_CERT")
        settings.tlsKeyFile = value("HAKEN_SMTP_TLS_KEY")
        if (settings.tlsCertificateFile == nil) != (settings.tlsKeyFile == nil) {
            throw AppConfiguration.Problem.invalidNumber("HAKEN_SMTP_TLS_CERT and HAKEN_SMTP_TLS_KEY (both or neither)", "")
        }
        if let relay = settings.relay, SMTPClient.Relay(relay) == nil {
            throw AppConfiguration.Problem.invalidNumber("HAKEN_SMTP_RELAY (host:port)", relay)
        }
        return settings
    }

    /// Who our outgoing mail is from, and its charset.
    public var outboxSender: Outbox.Sender { Outbox.Sender(address: senderAddress, charset: receiptCharset) }

    public var receiptLimits: MailBatch.ReceiptLimits {
        MailBatch.ReceiptLimits(perAddressPerHour: receiptsPerHour, unregisteredPerHour: unregisteredReceiptsPerHour)
    }

    /// The address receipts are sent from.
    public var senderAddress: String { secretariatAddresses.first ?? "senmonka-haken@localhost" }

    public func isSecretariat(_ address: String) -> Bool { secretariatAddresses.contains(address.lowercased()) }

    public func isMobileDomain(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...].lowercased()
        return mobileDomains.contains { domain == $0 || domain.hasSuffix("." + $0) }
    }
}
