import Fluent
import Foundation
import HakenCore
import HakenStore

/// The desk benchmark's mail (`hakendesk bench desk-seed`): received mail as processing leaves
/// it, in the shares a real year has — mostly matched reports, and every queue populated —
/// plus photos waiting for their check. Not processed again: seeding is not what is measured.
extension BenchSeed {
    public struct DeskSeeded: Sendable {
        public var mails: Int
        public var photos: Int
    }

    public static func processedMails(_ count: Int, seeded: Seeded, on db: Database) async throws -> DeskSeeded {
        var random = SplitMix(seed: 2_026_12_01)
        var batch: [InboundMailModel] = []
        var written = 0
        for n in 0..<count {
            let index = (n / 2) % seeded.dispatches.count
            let planned = seeded.dispatches[index]
            let business = seeded.businesses[planned.business]
            let expert = seeded.experts[planned.expert] ?? ""
            let time = n % 2 == 0 ? planned.schedule.start : planned.schedule.end
            var subject = "\(business.name)/\(expert)/\(planned.schedule.date.month)月\(planned.schedule.date.day)日 \(time.hhmm)"
            var from = business.email
            var status = MailStatus.matched
            var reason = n % 2 == 0 ? "支援開始時刻の報告（受理）" : "支援終了時刻の報告（受理）"
            var flags: String?
            var dispatch: UUID? = seeded.dispatchIDs[index]
            switch Int(random.next() % 100) {
            case 88..<92:
                from = "genba\(n)@docomo.ne.jp"; status = .review; flags = ReviewFlag.unknownSender.rawValue
                reason = "支援開始時刻の報告（確認中）"
            case 92..<94:
                flags = ReviewFlag.scheduleDiscrepancy.rawValue
            case 94..<97:
                from = "someone\(n)@example.com"; status = .unmatched; dispatch = nil
                subject = "お問い合わせ \(n)"
                reason = "登録されていないアドレス（\(from)）からのメールです。"
            case 97:
                from = "expert\(n % 100)@example.net"; status = .refused; dispatch = nil
                reason = "専門家のアドレスからの報告は受け付けられません（DAY-3、DEC-6）。"
            case 98:
                status = .review; flags = ReviewFlag.authenticationFailed.rawValue
            case 99:
                status = .machine; dispatch = nil; subject = "Delivery Status Notification (Failure)"; from = "mailer-daemon@example.com"
                reason = "自動送信メール（RFC 3834）のため処理しません。"
            default:
                break
            }
            let received = TokyoClock.secondsSince1970(LocalDateTime(date: planned.schedule.date, time: time)) + Double(Int(random.next() % 1_200)) - 600
            let row = InboundMailModel()
            row.id = UUID()
            row.messageID = "<desk-\(n)@example.co.jp>"
            row.contentHash = "desk-\(n)"
            row.rawPath = ""
            row.size = 600
            row.envelopeFrom = from
            row.envelopeTo = "senmonka-haken@localhost"
            row.receivedAt = Date(timeIntervalSince1970: received)
            row.source = "smtp"
            row.status = status.rawValue
            row.reason = reason
            row.fromAddress = from
            row.subject = subject
            row.dispatchID = dispatch
            row.evidenceKind = dispatch == nil ? nil : (n % 2 == 0 ? EvidenceKind.startReport.rawValue : EvidenceKind.endReport.rawValue)
            row.flags = flags
            row.processedAt = Date(timeIntervalSince1970: received + 1)
            batch.append(row)
            if batch.count == 20_000 {
                try await insert(batch, on: db)
                written += batch.count
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await insert(batch, on: db)
        written += batch.count
        try await MailInbox.backfillSearchText(on: db)
        try await MailQueues.backfill(on: db)

        // DAY-5: one dispatch in fifty has a photo nobody has checked yet.
        var photos: [EvidenceModel] = []
        for (index, id) in seeded.dispatchIDs.enumerated() where index % 50 == 0 {
            let schedule = seeded.dispatches[index].schedule
            let model = EvidenceModel(dispatchID: id, kind: .photo, status: .accepted,
                                      receivedAt: Date(timeIntervalSince1970: TokyoClock.secondsSince1970(LocalDateTime(date: schedule.date, time: schedule.end))),
                                      note: "1枚")
            model.id = UUID()
            model.trust = SenderTrust.registered.rawValue
            photos.append(model)
        }
        try await insert(photos, on: db)
        return DeskSeeded(mails: written, photos: photos.count)
    }
}
