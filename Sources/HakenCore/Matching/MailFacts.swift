import Foundation

/// Everything the mail decision is given: what was read from the message and what was
/// loaded about its sender and the dispatches it may be about. Built by the processing
/// shell; the decision itself never queries (ARCHITECTURE: load → decide → write).
public struct MailFacts: Sendable {
    /// DEC-1: when the mail counts as received, on the Tokyo wall clock.
    public var received: LocalDateTime
    /// The header From, lower-cased (or the envelope sender when there was no From).
    public var senderAddress: String?
    public var sender: Sender
    /// RFC 3834: auto-replies, bounces, lists. Kept, never processed or answered (DEC-9).
    public var machine: Bool
    public var subject: SubjectReading
    /// The subject as written, for consent and declaration PDFs (file names, 同意書).
    public var subjectText: String
    public var attachments: [Attachment]
    /// #12: who really sent it (DKIM, SPF, DMARC); nil when no sender check is configured.
    public var authentication: SenderAuthentication?
    /// Where a receipt may go (DEC-12).
    public var replyPath: ReplyPath
    /// Dispatches on the day the subject names: the business's own for a business sender,
    /// the day's dispatches of every business for an unknown sender (DEC-7).
    public var candidates: [CandidateDispatch]
    /// For an institution's consent mail (AFT-1): the businesses it has filed dispatches for.
    public var institutionBusinesses: [BusinessRef]

    public init(received: LocalDateTime, senderAddress: String?, sender: Sender, machine: Bool = false,
                subject: SubjectReading, subjectText: String = "", attachments: [Attachment] = [],
                authentication: SenderAuthentication? = nil, replyPath: ReplyPath = .unknown,
                candidates: [CandidateDispatch] = [], institutionBusinesses: [BusinessRef] = []) {
        self.received = received
        self.senderAddress = senderAddress
        self.sender = sender
        self.machine = machine
        self.subject = subject
        self.subjectText = subjectText
        self.attachments = attachments
        self.authentication = authentication
        self.replyPath = replyPath
        self.candidates = candidates
        self.institutionBusinesses = institutionBusinesses
    }

    /// Who the sender's address belongs to (DAY-3, DEC-6, DEC-7, DEC-10).
    public enum Sender: Equatable, Sendable {
        /// The business's registered address, or its verified mobile address.
        case business(BusinessRef, SenderTrust)
        /// A mobile-carrier or smartphone address nobody registered (or not yet verified).
        case unknownMobile
        case expert
        case institution(id: UUID)
        /// One of our own addresses (a loop).
        case secretariat
        case unknown
        /// No address could be read.
        case unreadable
    }

    /// DEC-12: the envelope sender (Return-Path).
    public enum ReplyPath: Equatable, Sendable {
        case address(String)
        /// `MAIL FROM:<>`: bounces and other machine mail; never answered.
        case nullSender
        /// Neither an envelope sender nor a Return-Path was given.
        case unknown
    }

    public struct Attachment: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            /// A picture, stored at `file` in the blob store.
            case photo(file: String)
            case pdf
            case other
            /// A part that could not be used; the rest of the mail still counts.
            case setAside(reason: String)
        }

        public var filename: String?
        public var kind: Kind

        public init(filename: String?, kind: Kind) {
            self.filename = filename
            self.kind = kind
        }

        public var photoFile: String? {
            if case .photo(let file) = kind { return file }
            return nil
        }
    }

    public var photoFiles: [String] { attachments.compactMap(\.photoFile) }
}

public struct BusinessRef: Equatable, Hashable, Sendable {
    public var id: UUID
    public var name: String

    public init(id: UUID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A dispatch a mail may be about, with its checklist as recorded.
public struct CandidateDispatch: Equatable, Sendable {
    public var id: UUID
    public var business: BusinessRef
    public var expertName: String
    public var schedule: DispatchSchedule
    public var evidence: [EvidenceKind: RecordedEvidence]
    /// #12: cancelled dispatches are candidates too, so a report for one is flagged, not lost.
    public var cancelled: Bool

    public init(id: UUID, business: BusinessRef, expertName: String, schedule: DispatchSchedule,
                evidence: [EvidenceKind: RecordedEvidence] = [:], cancelled: Bool = false) {
        self.id = id
        self.business = business
        self.expertName = expertName
        self.schedule = schedule
        self.evidence = evidence
        self.cancelled = cancelled
    }

    /// The checklist as `DispatchRules` reads it.
    public var checklist: EvidenceChecklist {
        EvidenceChecklist(evidence.mapValues { EvidenceItem(status: $0.status, receivedAt: $0.receivedAt) })
    }
}
