/// The SMTP conversation of one connection (RFC 5321, with SIZE, 8BITMIME, SMTPUTF8,
/// PIPELINING and ENHANCEDSTATUSCODES), as a state machine without I/O: lines in, replies
/// and actions out. The channel handler does the network part.
public struct SMTPSession: Sendable {
    public struct Configuration: Sendable {
        public var hostname: String
        /// Recipients we accept; anything else gets 550 (we are no open relay).
        public var acceptedRecipients: Set<String>
        public var maxMessageSize: Int
        public var maxRecipients: Int
        /// After this many bad commands the connection is closed.
        public var maxErrors: Int
        /// Whether STARTTLS is offered (a certificate is configured).
        public var startTLS: Bool

        public init(hostname: String, acceptedRecipients: [String], maxMessageSize: Int, maxRecipients: Int = 100, maxErrors: Int = 10,
                    startTLS: Bool = false) {
            self.startTLS = startTLS
            self.hostname = hostname
            self.acceptedRecipients = Set(acceptedRecipients.map { $0.lowercased() })
            self.maxMessageSize = maxMessageSize
            self.maxRecipients = maxRecipients
            self.maxErrors = maxErrors
        }
    }

    public struct Envelope: Sendable, Equatable {
        public var helo: String
        public var mailFrom: String
        public var recipients: [String]
        /// The client's IP address, as the connection gives it (the session does not know it).
        public var clientAddress: String?
    }

    public enum Action: Equatable, Sendable {
        case reply(String)
        /// The message is complete: store it, then answer with `deliveryReply`.
        case deliver(Envelope, [UInt8])
        /// Switch the connection to TLS now (after the 220 went out in plain text).
        case startTLS
        case close
    }

    enum State: Equatable { case greeted, ready, mail, data }

    let configuration: Configuration
    var state = State.greeted
    var helo = ""
    var mailFrom = ""
    var recipients: [String] = []
    var data: [UInt8] = []
    var dataTooLarge = false
    /// Whether the line before the current one ended in CRLF: only `<CRLF>.<CRLF>` ends DATA.
    var previousLineHadCR = true
    var errors = 0
    /// The connection is encrypted (STARTTLS done).
    public private(set) var secure = false

    public init(configuration: Configuration) { self.configuration = configuration }

    public var greeting: String { "220 \(configuration.hostname) ESMTP HakenDesk" }
    public var inData: Bool { state == .data }

    /// One line from the client, without its line end. `hadCR` says whether it ended in
    /// CRLF (kept in stored mail so the message is stored as sent).
    public mutating func receive(line: ArraySlice<UInt8>, hadCR: Bool = true) -> [Action] {
        if state == .data { return receiveData(line, hadCR: hadCR) }
        let text = String(decoding: line, as: UTF8.self)
        if line.contains(0) { return error("500 5.5.2 NUL characters are not allowed in commands") }
        let verb = text.prefix { $0 != " " }.uppercased()
        let argument = text.dropFirst(verb.count).drop { $0 == " " }
        switch verb {
        case "EHLO", "HELO":
            guard !argument.isEmpty else { return error("501 5.5.4 \(verb) needs a domain") }
            helo = String(argument)
            resetTransaction()
            state = .ready
            if verb == "HELO" { return [.reply("250 \(configuration.hostname)")] }
            var extensions = [configuration.hostname, "SIZE \(configuration.maxMessageSize)", "8BITMIME", "SMTPUTF8",
                              "PIPELINING", "ENHANCEDSTATUSCODES"]
            if configuration.startTLS && !secure { extensions.append("STARTTLS") }
            return [.reply(multiline(250, extensions))]
        case "MAIL":
            guard state != .greeted else { return error("503 5.5.1 Send EHLO first") }
            guard state == .ready else { return error("503 5.5.1 Nested MAIL command") }
            guard let (address, parameters) = Self.path(argument, keyword: "FROM:") else {
                return error("501 5.5.4 Syntax: MAIL FROM:<address>")
            }
            if let size = parameters["SIZE"] {
                // RFC 1870: digits. A number too large for any integer is as oversized as any other.
                guard !size.isEmpty, size.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                    return error("501 5.5.4 Syntax: SIZE=<number of bytes>")
                }
                if (Int(size) ?? Int.max) > configuration.maxMessageSize {
                    return [.reply("552 5.3.4 Message size exceeds fixed limit of \(configuration.maxMessageSize) bytes")]
                }
            }
            mailFrom = address
            state = .mail
            return [.reply("250 2.1.0 Ok")]
        case "RCPT":
            guard state == .mail else { return error("503 5.5.1 Need MAIL before RCPT") }
            guard let (address, _) = Self.path(argument, keyword: "TO:") else { return error("501 5.5.4 Syntax: RCPT TO:<address>") }
            guard recipients.count < configuration.maxRecipients else { return [.reply("452 4.5.3 Too many recipients")] }
            guard configuration.acceptedRecipients.contains(address.lowercased()) else {
                return error("550 5.1.1 <\(address)>: Recipient address rejected: not a HakenDesk address")
            }
            recipients.append(address)
            return [.reply("250 2.1.5 Ok")]
        case "DATA":
            guard state == .mail else { return error("503 5.5.1 Need MAIL before DATA") }
            guard !recipients.isEmpty else { return error("554 5.5.1 No valid recipients") }
            state = .data
            data = []
            dataTooLarge = false
            previousLineHadCR = true   // the DATA line and the 354 before the first data line
            return [.reply("354 End data with <CR><LF>.<CR><LF>")]
        case "RSET":
            resetTransaction()
            if state != .greeted { state = .ready }
            return [.reply("250 2.0.0 Ok")]
        case "NOOP":
            return [.reply("250 2.0.0 Ok")]
        case "QUIT":
            return [.reply("221 2.0.0 Bye"), .close]
        case "VRFY", "EXPN":
            return [.reply("502 5.5.1 \(verb) is not offered")]
        case "HELP":
            return [.reply("214 2.0.0 HakenDesk accepts reports for \(configuration.acceptedRecipients.sorted().joined(separator: ", "))")]
        case "STARTTLS":
            guard configuration.startTLS else { return error("502 5.5.1 STARTTLS is not configured") }
            guard !secure else { return error("503 5.5.1 TLS already active") }
            guard argument.isEmpty else { return error("501 5.5.4 STARTTLS takes no parameters") }
            guard state != .greeted else { return error("503 5.5.1 Send EHLO first") }
            // RFC 3207: everything before is forgotten; the client must EHLO again.
            resetTransaction()
            state = .greeted
            secure = true
            return [.reply("220 2.0.0 Ready to start TLS"), .startTLS]
        case "AUTH":
            return error("502 5.5.1 AUTH is not offered")
        case "BDAT":
            return error("502 5.5.1 CHUNKING is not offered")
        default:
            return error("500 5.5.2 Command not recognized")
        }
    }

    /// A line that was longer than the framing allows (it was discarded).
    public mutating func receiveOverlongLine() -> [Action] {
        if state == .data {
            dataTooLarge = true   // answered at the end of the data
            return []
        }
        return error("500 5.5.2 Line too long")
    }

    /// The reply once `deliver` has finished, successfully or not.
    public mutating func delivered(queueID: String?) -> [Action] {
        resetTransaction()
        state = .ready
        if let queueID { return [.reply("250 2.0.0 Ok: queued as \(queueID)")] }
        return [.reply("451 4.3.0 Temporary failure storing the message, please try again later")]
    }

    /// One line of message data. Only `<CRLF>.<CRLF>` ends the data (as Postfix's
    /// `smtpd_forbid_bare_newline` insists): a dot line framed by a bare LF on either side is
    /// kept in the message as sent, so `hello\n.\nMAIL FROM:…` can never smuggle a second,
    /// forged message into one transaction.
    mutating func receiveData(_ line: ArraySlice<UInt8>, hadCR: Bool) -> [Action] {
        let framedByCRLF = previousLineHadCR && hadCR
        previousLineHadCR = hadCR
        if line.count == 1 && line.first == UInt8(ascii: "."), framedByCRLF {
            if dataTooLarge {
                resetTransaction()
                state = .ready
                return [.reply("552 5.3.4 Message too big (limit \(configuration.maxMessageSize) bytes) or line too long")]
            }
            let envelope = Envelope(helo: helo, mailFrom: mailFrom, recipients: recipients)
            let message = data
            data = []
            return [.deliver(envelope, message)]
        }
        guard !dataTooLarge else { return [] }
        // Dot-unstuffing (RFC 5321 §4.5.2); a lone dot that did not end the data stays a dot.
        let content = line.first == UInt8(ascii: ".") && line.count > 1 ? line.dropFirst() : line
        if data.count + content.count + 2 > configuration.maxMessageSize {
            dataTooLarge = true
            data = []
            return []
        }
        data.append(contentsOf: content)
        if hadCR { data.append(0x0D) }
        data.append(0x0A)
        return []
    }

    mutating func resetTransaction() {
        mailFrom = ""
        recipients = []
        data = []
        dataTooLarge = false
    }

    mutating func error(_ reply: String) -> [Action] {
        errors += 1
        if errors >= configuration.maxErrors {
            return [.reply(reply), .reply("421 4.7.0 Too many errors, closing connection"), .close]
        }
        return [.reply(reply)]
    }

    func multiline(_ code: Int, _ lines: [String]) -> String {
        lines.enumerated().map { index, line in "\(code)\(index == lines.count - 1 ? " " : "-")\(line)" }.joined(separator: "\r\n")
    }

    /// `FROM:<a@b> SIZE=10` → ("a@b", ["SIZE": "10"]). Accepts a space after the colon and
    /// a missing angle bracket pair, as many clients send them; `<>` is the null sender.
    static func path(_ argument: Substring, keyword: String) -> (String, [String: String])? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        var rest = argument.dropFirst(keyword.count).drop { $0 == " " }
        var address: Substring
        if rest.first == "<" {
            guard let close = rest.firstIndex(of: ">") else { return nil }
            address = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
        } else {
            address = rest.prefix { $0 != " " }
            rest = rest.dropFirst(address.count)
        }
        if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") { address = address[address.index(after: colon)...] }
        if keyword == "TO:" && address.isEmpty { return nil }
        var parameters: [String: String] = [:]
        for word in rest.split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1)
            parameters[pair[0].uppercased()] = pair.count > 1 ? String(pair[1]) : ""
        }
        return (String(address), parameters)
    }
}
