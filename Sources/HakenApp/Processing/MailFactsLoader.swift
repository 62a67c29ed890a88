import Fluent
import Foundation
import HakenCore
import HakenMail
import HakenStore

/// The "load" of load → decide → write: for each mail of a batch, everything
/// `MailRules.decide` needs, read through the batch (a handful of queries per batch).
struct MailFactsLoader {
    let batch: MailBatch
    let settings: MailSettings
    /// What each mail's facts start from, worked out once when the batch starts.
    let prepared: [UUID: Prepared]

    struct Prepared {
        var address: String?
        /// DEC-1: when it counts as received, and our MTA's time when that was read.
        var receivedAt: Date
        var mtaReceivedAt: Date?
        /// DEC-3: the day the subject names, in the year nearest the received day.
        var reportDay: CivilDate?

        init(_ row: QueuedMail, _ message: MailMessage, settings: MailSettings) {
            address = MailFactsLoader.senderAddress(row, message)
            (receivedAt, mtaReceivedAt) = MailFactsLoader.receivedAt(row, message, settings: settings)
            let received = MailFactsLoader.tokyo(receivedAt).date
            reportDay = message.report.flatMap { ReportTiming.inferDate(month: $0.month, day: $0.day, receivedOn: received) }
        }
    }

    struct Loaded {
        var facts: MailFacts
        /// DEC-1: when the mail counts as received.
        var receivedAt: Date
        /// Our trusted MTA's time, when it was read.
        var mtaReceivedAt: Date?
    }

    /// Starts the batch with the senders' owners and the business-days the reports name
    /// already read, so most mails need no query of their own.
    static func start(_ mails: [(row: QueuedMail, mail: MailReading)], settings: MailSettings, key: AuditKey,
                      on db: Database) async throws -> MailFactsLoader {
        var prepared: [UUID: Prepared] = [:]
        for (row, mail) in mails { prepared[row.id] = Prepared(row, mail.message, settings: settings) }
        let batch = try await MailBatch.start(senders: prepared.values.compactMap(\.address), mailIDs: mails.map(\.row.id), on: db, key: key)
        var businessDays: [(UUID, CivilDate)] = []
        for prep in prepared.values {
            guard let sender = prep.address, let day = prep.reportDay,
                  case .business(let business, _) = try await batch.owner(of: sender) else { continue }
            businessDays.append((business.id, day))
        }
        try await batch.loadDispatches(businessDays: businessDays, days: [])
        return MailFactsLoader(batch: batch, settings: settings, prepared: prepared)
    }

    func facts(for row: QueuedMail, mail: MailReading) async throws -> Loaded {
        let message = mail.message
        let prep = prepared[row.id] ?? Prepared(row, message, settings: settings)
        let address = prep.address
        let received = Self.tokyo(prep.receivedAt)

        let sender: MailFacts.Sender
        if let address {
            if settings.isSecretariat(address) {
                sender = .secretariat
            } else {
                switch try await batch.owner(of: address) {
                case .business(let business, let trust): sender = .business(business, trust)
                case .expert: sender = .expert
                case .institution(let id): sender = .institution(id: id)
                case .unverifiedMobile, .nobody: sender = settings.isMobileDomain(address) ? .unknownMobile : .unknown
                }
            }
        } else {
            sender = .unreadable
        }

        var candidates: [CandidateDispatch] = []
        if let day = prep.reportDay {
            switch sender {
            case .business(let business, _): candidates = try await batch.candidates(businessID: business.id, day: day)
            case .unknownMobile, .unknown: candidates = try await batch.candidates(day: day)
            case .expert, .institution, .secretariat, .unreadable: break
            }
        }
        var institutionBusinesses: [BusinessRef] = []
        if case .institution(let id) = sender, mail.attachments.contains(where: { $0.kind == .pdf }) {
            institutionBusinesses = try await batch.businesses(servedBy: id)
        }
        let facts = MailFacts(
            received: received, senderAddress: address, sender: sender, machine: message.autoSubmitted,
            subject: message.subjectReading, subjectText: message.subject ?? "", attachments: mail.attachments,
            authentication: mail.authentication,
            replyPath: Self.replyPath(row, message), candidates: candidates, institutionBusinesses: institutionBusinesses)
        return Loaded(facts: facts, receivedAt: prep.receivedAt, mtaReceivedAt: prep.mtaReceivedAt)
    }

    /// Who sent it, lower-cased: the From address as read, or the envelope sender when the
    /// header gave none.
    static func senderAddress(_ row: QueuedMail, _ message: MailMessage) -> String? {
        let envelope = row.envelopeFrom.flatMap { $0.isEmpty ? nil : $0 }
        return (message.from ?? envelope)?.lowercased()
    }

    /// DEC-1: the first `Received` field our trusted MTA wrote, when `HAKEN_TRUSTED_MTA` names
    /// it and its time is plausible (not after we stored the mail, and at most a week before);
    /// otherwise when our server stored it.
    static func receivedAt(_ row: QueuedMail, _ message: MailMessage, settings: MailSettings) -> (effective: Date, mta: Date?) {
        guard let host = settings.trustedMTA, let seconds = ReceivedTime.byTrustedMTA(message.headers, host: host) else {
            return (row.receivedAt, nil)
        }
        let mta = Date(timeIntervalSince1970: TimeInterval(seconds))
        let stored = row.receivedAt
        guard mta <= stored.addingTimeInterval(60), mta >= stored.addingTimeInterval(-7 * 24 * 3600) else { return (row.receivedAt, nil) }
        return (mta, mta)
    }

    /// DEC-12: the envelope sender, as SMTP or the MTA pipe gave it; failing that, the
    /// Return-Path field an MTA writes at delivery.
    static func replyPath(_ row: QueuedMail, _ message: MailMessage) -> MailFacts.ReplyPath {
        func path(_ text: String) -> MailFacts.ReplyPath {
            // The usual envelope (`MAIL FROM:<a@b>` arrives as `a@b`) needs no address parser.
            var ats = 0
            var plain = !text.isEmpty
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "@"): ats += 1
                case 0x21...0x7E where !specials.contains(byte): break
                default: plain = false
                }
            }
            if plain && ats == 1 { return .address(text.lowercased()) }
            let trimmed = text.trimmingWhitespace
            if trimmed.isEmpty || trimmed == "<>" { return .nullSender }
            guard let address = AddressParser.addresses(trimmed).first else { return .unknown }
            return .address(address.lowercased())
        }
        if let envelope = row.envelopeFrom { return path(envelope) }
        if let returnPath = message.headers.text("return-path") { return path(returnPath) }
        return .unknown
    }

    /// Bytes that make an address need the real parser (brackets, comments, lists, quoting).
    static let specials: Set<UInt8> = Set("<>(),;:\"\\[] ".utf8)

    static func tokyo(_ date: Date) -> LocalDateTime { TokyoClock.local(secondsSince1970: date.timeIntervalSince1970) }
}
