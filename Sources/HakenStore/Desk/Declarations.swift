import Fluent
import Foundation
import HakenCore
import SQLKit

/// DAY-4, DAY-7: the declarations recorded for a dispatch. An accepted declaration settles the
/// items it covers; once the accepted ones together cover every item that needs one, the
/// dispatch's `.declaration` item is recorded as accepted (through `EvidenceWriter`).
public enum Declarations {
    public static let table = "declarations"

    public struct Stored: Sendable, Equatable {
        public var id: UUID
        public var record: DeclarationRecord
        public var recordedBy: String
        public var recordedAt: Date
    }

    public static func all(for dispatchID: UUID, on db: Database) async throws -> [Stored] {
        let rows = try await db.sql().raw("""
            SELECT id, variant, covers, receipt, file_path, received_on, sealed_business, sealed_expert, sealed_institution, accepted, note,
                   recorded_by, recorded_at FROM declarations WHERE dispatch_id = \(bind: dispatchID) ORDER BY recorded_at
            """).all()
        return try rows.compactMap { row in
            guard let variant = DeclarationVariant(rawValue: try row.decode(column: "variant", as: String.self)) else { return nil }
            let receipt: DeclarationReceipt
            if try row.decode(column: "receipt", as: String.self) == "paper",
               let day = try row.decode(column: "received_on", as: String?.self).flatMap(CivilDate.init(iso:)) {
                receipt = .paper(receivedOn: day)
            } else {
                receipt = .scan(file: try row.decode(column: "file_path", as: String?.self) ?? "")
            }
            let covers = try row.decode(column: "covers", as: String.self).split(separator: ",").compactMap { EvidenceKind(rawValue: String($0)) }
            return Stored(id: try row.decode(column: "id", as: UUID.self),
                          record: DeclarationRecord(variant: variant, covers: covers, receipt: receipt,
                                                    sealedByBusiness: try row.decode(column: "sealed_business", as: Bool.self),
                                                    sealedByExpert: try row.decode(column: "sealed_expert", as: Bool.self),
                                                    sealedByInstitution: try row.decode(column: "sealed_institution", as: Bool.self),
                                                    accepted: try row.decode(column: "accepted", as: Bool.self),
                                                    note: try row.decode(column: "note", as: String?.self)),
                          recordedBy: try row.decode(column: "recorded_by", as: String.self),
                          recordedAt: try row.decode(column: "recorded_at", as: Date.self))
        }
    }

    /// Records one declaration. `needs` are the items the dispatch needs a declaration for, as
    /// assessed just before; `sourceMail` the mail it came in, which is then decided too.
    /// Returns whether the dispatch's declarations are now settled.
    @discardableResult
    public static func record(_ record: DeclarationRecord, dispatchID: UUID, needs: [EvidenceKind], sourceMail: UUID?,
                              notice: (@Sendable (_ settled: Bool) -> Outbox.Row?)?, by actor: String,
                              on db: Database, key: AuditKey, now: Date) async throws -> Bool {
        try await db.hakenTransaction { tx in
            let sql = try tx.sql()
            let id = UUID()
            var file: String?
            var receivedOn: String?
            let receiptKind: String
            switch record.receipt {
            case .scan(let path): (receiptKind, file) = ("scan", path)
            case .paper(let day): (receiptKind, receivedOn) = ("paper", day.iso)
            }
            try await sql.insert(into: table)
                .columns("id", "dispatch_id", "variant", "covers", "receipt", "file_path", "received_on", "source_mail_id", "sealed_business",
                         "sealed_expert", "sealed_institution", "accepted", "note", "recorded_by", "recorded_at")
                .values(SQLBind(id), SQLBind(dispatchID), SQLBind(record.variant.rawValue), SQLBind(record.covers.map(\.rawValue).joined(separator: ",")),
                        SQLBind(receiptKind), SQLBind(file), SQLBind(receivedOn), SQLBind(sourceMail), SQLBind(record.sealedByBusiness),
                        SQLBind(record.sealedByExpert), SQLBind(record.sealedByInstitution), SQLBind(record.accepted), SQLBind(record.note),
                        SQLBind(actor), SQLBind(now))
                .run()
            if let sourceMail {
                try await sql.raw("""
                    UPDATE inbound_mail SET decided_at = \(bind: now), decided_by = \(bind: actor), dispatch_id = \(bind: dispatchID),
                      decision_note = \(bind: "申告書（\(record.variant.japaneseName)）として記録")
                    WHERE id = \(bind: sourceMail) AND decided_at IS NULL
                    """).run()
                try await MailQueues.remove(mail: sourceMail, on: tx)
            }
            let accepted = try await all(for: dispatchID, on: tx).map(\.record)
            let settled = DeclarationRules.settles(needs, accepted: accepted)
            let writer = try await EvidenceWriter.start(on: tx, key: key)
            if settled {
                try await writer.load([dispatchID])
                if writer.checklist(dispatchID)[.declaration]?.status != .accepted {
                    let names = accepted.filter(\.accepted).map { "「\($0.variant.japaneseName)」" }.joined(separator: "")
                    try await writer.record(EvidenceChange(dispatchID: dispatchID, kind: .declaration, status: .accepted, trust: .secretariat,
                                                           note: "申告書\(names)を受理（三者の記名押印あり）"),
                                            source: .init(actor: actor, receivedAt: now), now: now)
                }
            }
            var details = ["declaration": id.uuidString.lowercased(), "variant": record.variant.rawValue,
                           "covers": record.covers.map(\.rawValue).joined(separator: ","), "receipt": receiptKind,
                           "accepted": record.accepted ? "true" : "false", "settled": settled ? "true" : "false",
                           "seals": [record.sealedByBusiness, record.sealedByExpert, record.sealedByInstitution].map { $0 ? "1" : "0" }.joined()]
            if let note = record.note { details["note"] = note }
            if let file { details["file"] = file }
            if let receivedOn { details["receivedOn"] = receivedOn }
            writer.audit(.init(actor: actor, action: "desk.declaration.record", subject: AuditLog.subject("dispatch", dispatchID), details: details), now: now)
            try await writer.flush()
            if let row = notice?(settled) { try await Outbox.enqueue([row], on: tx) }
            return settled
        }
    }
}
