/// The Japanese wording of receipts (DEC-9, DEC-12): what was understood, or what is wrong
/// and the exact format to send again. A sender who is not registered is told only that the
/// mail arrived and will be checked, and the format: never a registered name, and never
/// whether a dispatch exists.
public enum ReceiptText {
    public static let timeFormat = "事業者名/専門家名/8月21日 10:30"
    public static let photoFormat = "事業者名/専門家名/8月21日(水)10:30~15:00"

    public struct Message: Equatable, Sendable {
        public var subject: String
        public var body: String
    }

    public static func footer(secretariatAddress: String) -> String {
        """

        ――――――――――――――――
        このメールは専門家派遣事業 事務局（HakenDesk）から自動で送信しています。
        ご不明な点は事務局（\(secretariatAddress)、平日 9:00〜17:00）までお問い合わせください。
        """
    }

    static func formats(window: Bool) -> String {
        var text = """
          開始・終了時刻の報告: \(timeFormat)
          支援状況写真（添付）: \(photoFormat)
        """
        if window { text += "\n支援開始・終了時刻の±20分以内に届くよう、お早めに送信してください。" }
        return text
    }

    public static func roleName(_ role: ReportTiming.Role) -> String { role == .start ? "支援開始" : "支援終了" }

    static func when(_ written: LocalDateTime) -> String {
        "\(JapaneseDateFormat.monthDayWeekday(written.date)) \(written.time.hhmm)"
    }

    static func notesBlock(_ notes: [String]) -> String {
        notes.isEmpty ? "" : "\n\n確認事項:\n" + notes.map { "・\($0)" }.joined(separator: "\n")
    }

    /// How a time report stands, as its receipt tells it.
    public enum TimeOutcome: Equatable, Sendable {
        case accepted
        /// Received after the window: only a declaration can replace it now (DAY-4).
        case late
        /// Received before the window opened: sending again inside it fixes it.
        case early(windowFrom: TimeOfDay, windowTo: TimeOfDay)
        case review
        /// The recorded report stands (a duplicate, or one from a more trusted sender).
        case alreadyRecorded
    }

    /// DAY-1/DAY-2 (and DAY-6 when photos ride on the report).
    public static func timeReport(business: String, expert: String, role: ReportTiming.Role, written: LocalDateTime,
                                  received: LocalDateTime, outcome: TimeOutcome, notes: [String], photos: Int) -> Message {
        let what = "\(when(written)) の\(roleName(role))報告"
        var body = "\(business)様\n\n"
        let tag: String
        switch outcome {
        case .accepted:
            tag = "【受付】"
            body += "\(what)を受け付けました（専門家: \(expert)、受信 \(received.time.hhmm)）。"
        case .late:
            tag = "【期限外】"
            body += "\(what)を受信しましたが、受信時刻（\(received.time.hhmm)）が報告時刻の±20分を超えています。\n"
            body += "期限外の報告として記録しました。後日「支援実施申告書兼再発防止誓約書」（ご担当者・専門家・支援機関の記名押印）の提出が必要になります。"
        case .early(let from, let to):
            tag = "【要再送】"
            body += "\(what)を受信しましたが、報告時刻より前に届いたため（受信 \(received.time.hhmm)）、まだ受け付けられません。\n"
            body += "\(from.hhmm)〜\(to.hhmm) の間に、同じ件名でもう一度送信してください。その報告で受け付けます。"
        case .review:
            tag = "【確認中】"
            body += "\(what)を受信しました（受信 \(received.time.hhmm)）。事務局で内容を確認します。"
        case .alreadyRecorded:
            tag = "【受付済】"
            body += "\(what)は既に記録されています。今回のメール（受信 \(received.time.hhmm)）も保管しましたが、記録は変わりません。"
        }
        if photos > 0 { body += "\n支援状況写真 \(photos) 枚もあわせて受信しました。" }
        body += notesBlock(notes)
        return Message(subject: "\(tag)\(roleName(role))報告 \(business) \(when(written))", body: body)
    }

    public enum PhotoOutcome: Equatable, Sendable {
        case accepted, review, alreadyRecorded
        /// AFT-3: after the certification was entered.
        case late
    }

    /// DAY-6: the photo mail.
    public static func photo(business: String, date: CivilDate, count: Int, outcome: PhotoOutcome, notes: [String]) -> Message {
        let day = JapaneseDateFormat.monthDayWeekday(date)
        var body = "\(business)様\n\n"
        let tag: String
        switch outcome {
        case .accepted:
            tag = "【受付】"
            body += "\(day) の支援状況写真 \(count) 枚を受け付けました。"
        case .review:
            tag = "【確認中】"
            body += "\(day) の支援状況写真 \(count) 枚を受信しました。事務局で内容を確認します。"
        case .late:
            tag = "【期限外】"
            body += "\(day) の支援状況写真を受信しましたが、従事証明の入力後に届いたため期限外として記録しました。\n"
            body += "「支援実施申告書兼再発防止誓約書」（ご担当者・専門家・支援機関の記名押印）の提出が必要になります。"
        case .alreadyRecorded:
            tag = "【受付済】"
            body += "\(day) の支援状況写真は既に記録されています。今回の写真 \(count) 枚も保管しましたが、記録は変わりません。"
        }
        body += notesBlock(notes)
        return Message(subject: "\(tag)支援状況写真 \(business) \(day)", body: body)
    }

    /// AFT-1.
    public static func consent(fiscalYear: FiscalYear) -> Message {
        Message(subject: "【確認中】写真提出の同意書 \(fiscalYear.label)",
                body: "写真提出の同意書（\(fiscalYear.label)・\(fiscalYear.eraLabel)）を受信しました。事務局で内容を確認します。")
    }

    /// AFT-1: an institution's consent mail that names none of its businesses.
    public static func consentUnidentified() -> Message {
        Message(subject: "【確認中】写真提出の同意書",
                body: """
                写真提出の同意書と思われるPDFを受信しましたが、どの事業者の同意書か件名・ファイル名から特定できませんでした。
                事務局で確認します。お急ぎの場合は、件名に事業者名を入れて再送してください（例: ばそな建設 写真提出の同意書）。
                """)
    }

    /// DAY-4/DAY-7: a declaration sent as a PDF.
    public static func declaration() -> Message {
        Message(subject: "【確認中】支援実施申告書兼再発防止誓約書",
                body: """
                支援実施申告書兼再発防止誓約書と思われるPDFを受信しました。事務局で内容を確認します。
                ご担当者・専門家・支援機関の記名押印がそろっているかを確認し、原本が必要な場合は事務局からご連絡します。
                """)
    }

    /// What is wrong, and the format to send again.
    public static func problem(_ reason: String, window: Bool) -> Message {
        Message(subject: "【要再送】報告メールを受け付けられませんでした",
                body: """
                お送りいただいたメールを受け付けられませんでした。

                理由: \(reason)

                次の形式の件名で、登録メールアドレスから再送してください（本文は不要です）。
                \(formats(window: window))
                """)
    }

    /// DAY-3/DEC-6.
    public static func refused(role: Role) -> Message {
        Message(subject: "【受付不可】報告メールについて",
                body: """
                このアドレスは\(role.japaneseName)として登録されています。支援開始・終了時刻の報告と支援状況写真は、事業者のご担当者様が登録メールアドレスから送信してください（\(role.japaneseName)からの送信は受け付けられません）。
                お送りいただいたメールは事務局で保管しています。
                """)
    }

    /// DEC-12: to a sender who is not registered (or whose envelope is not its registered address).
    public static func unregistered() -> Message {
        Message(subject: "【受信】専門家派遣事業 事務局",
                body: """
                メールを受信しました。事務局で内容を確認します。

                支援開始・終了時刻の報告と支援状況写真は、事業者のご担当者様が登録メールアドレスから、次の形式の件名で送信してください（本文は不要です）。
                \(formats(window: true))
                """)
    }
}
