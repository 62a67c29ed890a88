import Fluent
import Foundation
import SQLKit

/// What `hakendesk audit verify` checks (NOTE-3): the append-only triggers, both chains, and
/// the log against its last signed anchor. Each problem is said precisely.
public struct AuditInspection: Sendable, Equatable {
    public var entries: Int
    public var problems: [String]
    /// The last anchor found (nil: none yet).
    public var anchor: AuditAnchor?

    public var intact: Bool { problems.isEmpty }

    public static func run(on database: Database, key: AuditKey, anchorFile: URL) async throws -> AuditInspection {
        var problems: [String] = []
        if try await !AuditLogGuard.present(on: database) {
            problems.append("the append-only triggers of audit_log are missing or disabled: entries may have been changed or removed meanwhile (hakendesk migrate restores them)")
        }
        var entries = 0
        switch try await AuditLog.verify(on: database, key: key) {
        case .intact(let count): entries = count
        case .broken(let seq, let reason):
            entries = Int(seq - 1)
            problems.append("entry \(seq): \(reason)")
        }
        let anchor = AuditAnchors.last(in: anchorFile)
        if let anchor {
            if !anchor.isSigned(by: key) {
                problems.append("the last anchor (\(anchor.at)) is not signed with this audit key: the anchor file was changed, or the key is not the log's")
            } else {
                let head = try await AuditLog.head(on: database)
                let last = head?.seq ?? 0
                if last < anchor.seq {
                    problems.append(last == 0
                        ? "the log is empty, but the anchor of \(anchor.at) names entry \(anchor.seq): every entry was removed"
                        : "the log ends at entry \(last), but the anchor of \(anchor.at) names entry \(anchor.seq): entries \(last + 1)…\(anchor.seq) were removed")
                } else if try await AuditLog.mac(ofEntry: anchor.seq, on: database) != anchor.head {
                    problems.append("entry \(anchor.seq) is not the entry anchored at \(anchor.at): the log was rewritten from there on")
                }
            }
        }
        return AuditInspection(entries: entries, problems: problems, anchor: anchor)
    }
}
