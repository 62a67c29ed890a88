import Fluent
import Foundation
import HakenCore

/// NOTE-3: a signed note of the chain's head (sequence number, MAC, time), appended to a file
/// outside the database at least hourly and at shutdown, and printed by `hakendesk audit head`
/// for publishing elsewhere. Deleting the newest entries, or all of them, leaves the database
/// shorter than its last anchor: `audit verify` says so.
public struct AuditAnchor: Equatable, Sendable {
    public var seq: Int64
    public var head: String
    /// `2026-11-30T20:00:00.000+09:00`.
    public var at: String
    public var signature: String

    static let prefix = "haken-audit-anchor v1"

    public static func sign(seq: Int64, head: String, at: Date, key: AuditKey) -> AuditAnchor {
        let time = AuditLog.timestamp(at)
        return AuditAnchor(seq: seq, head: head, at: time, signature: key.sign(signedText(seq: seq, head: head, at: time)))
    }

    static func signedText(seq: Int64, head: String, at: String) -> String { "\(prefix) seq=\(seq) head=\(head) at=\(at)" }

    /// One line: `haken-audit-anchor v1 seq=12 head=… at=… sig=…`.
    public var line: String { "\(Self.signedText(seq: seq, head: head, at: at)) sig=\(signature)" }

    public func isSigned(by key: AuditKey) -> Bool {
        key.sign(Self.signedText(seq: seq, head: head, at: at)) == signature
    }

    public init(seq: Int64, head: String, at: String, signature: String) {
        self.seq = seq
        self.head = head
        self.at = at
        self.signature = signature
    }

    public init?(line: String) {
        guard line.hasPrefix(Self.prefix) else { return nil }
        var fields: [String: String] = [:]
        for word in line.dropFirst(Self.prefix.count).split(separator: " ") {
            let pair = word.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[String(pair[0])] = String(pair[1]) }
        }
        guard let seqText = fields["seq"], let seq = Int64(seqText), let head = fields["head"], let at = fields["at"],
              let signature = fields["sig"] else { return nil }
        self.init(seq: seq, head: head, at: at, signature: signature)
    }
}

/// The anchor file: one line per anchor, appended and fsynced.
public enum AuditAnchors {
    public static func append(_ anchor: AuditAnchor, to file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let fd = open(file.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
        defer { close(fd) }
        let bytes = Array((anchor.line + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The last line that reads as an anchor (nil when the file is missing or has none).
    public static func last(in file: URL) -> AuditAnchor? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").reversed().lazy.compactMap { AuditAnchor(line: String($0)) }.first
    }

    /// Appends an anchor of the current head, unless the last anchor already names it.
    @discardableResult
    public static func anchorHead(on database: Database, key: AuditKey, file: URL, now: Date) async throws -> AuditAnchor? {
        guard let head = try await AuditLog.head(on: database) else { return nil }
        if let last = last(in: file), last.seq == head.seq, last.head == head.mac { return last }
        let anchor = AuditAnchor.sign(seq: head.seq, head: head.mac, at: now, key: key)
        try append(anchor, to: file)
        return anchor
    }
}
