import HakenCore

/// One attachment as the reader saw it: declared type, name, and the size and SHA-256 of
/// its decoded bytes.
public struct MailAttachment: Equatable, Sendable {
    public var filename: String?
    /// Declared type, lower-cased, no parameters (no sniffing).
    public var contentType: String
    public var size: Int
    public var sha256: String
}

/// What HakenDesk reads out of one message (the shape `hakendesk mail inspect` prints).
public struct MailMessage: Sendable {
    public var headers: HeaderBlock
    public var messageID: String?
    public var from: String?
    public var to: [String]
    public var subject: String?
    public var date: MailDate.Parsed?
    public var autoSubmitted: Bool
    /// The subject as a report (DAY-1, DAY-2, DAY-6), or why it is not one.
    public var subjectReading: SubjectReading
    public var report: ReportSubject? { subjectReading.report }
    public var attachments: [MailAttachment]
    /// The first text/plain body that is not an attachment, decoded.
    public var textBody: String?
    public var problems: [String]
}
