import HakenCore

/// A dispatch's whole record for an auditor (NOTE-3): the schedule, the checklist, every mail
/// with its received time and the SHA-256 of the message as stored, the secretariat's decisions
/// and the audit entries with their chain hashes, so the paper can be checked against the log.
public enum DispatchRecordForm {
    public struct Mail: Sendable, Equatable {
        public var received: LocalDateTime
        public var from: String
        public var subject: String
        public var status: String
        public var sha256: String
        public init(received: LocalDateTime, from: String, subject: String, status: String, sha256: String) {
            self.received = received
            self.from = from
            self.subject = subject
            self.status = status
            self.sha256 = sha256
        }
    }

    public struct Entry: Sendable, Equatable {
        public var seq: Int64
        public var at: String
        public var actor: String
        public var action: String
        public var details: String
        public var hash: String
        public init(seq: Int64, at: String, actor: String, action: String, details: String, hash: String) {
            self.seq = seq
            self.at = at
            self.actor = actor
            self.action = action
            self.details = details
            self.hash = hash
        }
    }

    public struct Record: Sendable, Equatable {
        public var dispatch: FormDispatch
        public var state: String
        public var deadline: CivilDate
        public var cancelReason: String?
        /// Every item is printed, in `EvidenceKind` order.
        public var checklist: EvidenceChecklist
        public var mails: [Mail]
        /// The secretariat's decisions in words (declarations, discrepancies, photo checks).
        public var decisions: [String]
        public var entries: [Entry]

        public init(dispatch: FormDispatch, state: String, deadline: CivilDate, cancelReason: String?,
                    checklist: EvidenceChecklist, mails: [Mail], decisions: [String], entries: [Entry]) {
            self.dispatch = dispatch
            self.state = state
            self.deadline = deadline
            self.cancelReason = cancelReason
            self.checklist = checklist
            self.mails = mails
            self.decisions = decisions
            self.entries = entries
        }
    }

    /// A subject longer than this is cut on paper; the digest identifies the whole mail.
    static let subjectLimit = 120
    /// An audit entry's details longer than this are cut on paper (a table row stays within a page);
    /// the entry's hash identifies the whole of it in the log.
    static let detailsLimit = 500

    /// `不受理`, or `受理（未確認）` for a photo no person has looked at yet.
    static func status(_ item: EvidenceItem) -> String { item.status.japaneseName + (item.unchecked ? "（未確認）" : "") }

    static func cut(_ text: String, _ limit: Int, note: String) -> String {
        text.count > limit ? String(text.prefix(limit)) + note : text
    }

    public static func make(_ record: Record, made: FormMoment) -> PrintedForm {
        var fields = record.dispatch.fields
        fields.append([FormField("状態", record.state), FormField("提出期限", FormDates.day(record.deadline))])
        if let reason = record.cancelReason { fields.append([FormField("取消の理由", reason)]) }
        var blocks: [FormBlock] = [
            .heading("1. 派遣の内容"),
            .grid(fields),
            .heading("2. 提出物"),
            .table(columns: [FormColumn("項目", share: 3), FormColumn("状態", share: 2), FormColumn("受信日時", share: 3)],
                   rows: EvidenceKind.allCases.map { kind in
                       [kind.japaneseName, status(record.checklist[kind]), record.checklist[kind].receivedAt.map(FormDates.moment) ?? "—"]
                   }),
            .heading("3. 受信したメール（\(record.mails.count)通）"),
        ]
        if record.mails.isEmpty {
            blocks.append(.paragraph("この派遣に記録されたメールはありません。"))
        } else {
            blocks.append(.table(columns: [FormColumn("受信日時", share: 2.2), FormColumn("差出人・件名", share: 4), FormColumn("判定", share: 1.6),
                                           FormColumn("SHA-256（保存したメール全体）", share: 3.2)],
                                 rows: record.mails.map { mail in
                                     let from = cut(mail.from, subjectLimit, note: "…")
                                     return [FormDates.moment(mail.received), "\(from)\n\(cut(mail.subject, subjectLimit, note: "…"))", mail.status, mail.sha256]
                                 }))
        }
        blocks.append(.heading("4. 事務局の判断"))
        blocks += record.decisions.isEmpty ? [.paragraph("記録された判断はありません。")] : record.decisions.map { .paragraph("・\($0)") }
        blocks.append(.heading("5. 監査ログ（\(record.entries.count)件）"))
        if record.entries.isEmpty {
            blocks.append(.paragraph("この派遣の監査ログはありません。"))
        } else {
            blocks.append(.table(columns: [FormColumn("番号", share: 1), FormColumn("日時・操作者", share: 2.6), FormColumn("操作と内容", share: 4.6),
                                           FormColumn("ハッシュ", share: 2.6)],
                                 rows: record.entries.map { entry in
                                     ["\(entry.seq)", "\(JapaneseDateFormat.slashed(stamp: entry.at))\n\(cut(entry.actor, subjectLimit, note: "…"))",
                                      "\(entry.action)\n\(cut(entry.details, detailsLimit, note: "…（以下略：全文は監査ログ）"))", entry.hash]
                                 }))
        }
        blocks.append(.note("監査ログの各行のハッシュは、前の行のハッシュと内容から計算した連鎖の値です。「hakendesk audit verify」で、保存されたログと照合できます。"))
        return PrintedForm(title: "派遣記録（監査用）", reference: record.dispatch.reference("REC"), madeOn: made.madeOn, madeAt: made.madeAt, blocks: blocks)
    }

    /// The same record as one table for a spreadsheet: a row per fact, its kind first, dates as
    /// Japanese Excel reads them (2019/08/21), subjects, details and hashes whole.
    public static let csvHeader = ["区分", "日時", "項目", "内容", "SHA-256・ハッシュ"]

    public static func csvRows(_ record: Record) -> [[String]] {
        let schedule = record.dispatch.schedule
        var rows: [[String]] = [
            ["派遣", JapaneseDateFormat.slashed(schedule.date), "支援日", "\(schedule.start.hhmm)〜\(schedule.end.hhmm) \(schedule.place)", ""],
            ["派遣", JapaneseEra.format(schedule.date) ?? "", "支援日（和暦）", "", ""],
            ["派遣", "", "事業者・専門家・支援機関", "\(record.dispatch.businessName) / \(record.dispatch.expertName) / \(record.dispatch.institutionName)", ""],
            ["派遣", JapaneseDateFormat.slashed(record.deadline), "提出期限", record.state, ""],
        ]
        if let reason = record.cancelReason { rows.append(["派遣", "", "取消の理由", reason, ""]) }
        for kind in EvidenceKind.allCases {
            let item = record.checklist[kind]
            rows.append(["提出物", item.receivedAt.map(JapaneseDateFormat.slashed) ?? "", kind.japaneseName, status(item), ""])
        }
        for mail in record.mails {
            rows.append(["受信メール", JapaneseDateFormat.slashed(mail.received), mail.from, "\(mail.status)　\(mail.subject)", mail.sha256])
        }
        for decision in record.decisions { rows.append(["事務局の判断", "", "", decision, ""]) }
        for entry in record.entries {
            rows.append(["監査ログ \(entry.seq)", JapaneseDateFormat.slashed(stamp: entry.at), entry.actor, "\(entry.action) \(entry.details)", entry.hash])
        }
        return rows
    }
}
