import HakenCore
import HakenMail

/// The Japanese wording of receipts (DEC-9): what was understood, or what is wrong and the
/// exact format to send again.
enum ReceiptText {
    static let timeFormat = "事業者名/専門家名/8月21日 10:30"
    static let photoFormat = "事業者名/専門家名/8月21日(水)10:30~15:00"

    static func footer(_ settings: MailSettings) -> String {
        """

        ――――――――――――――――
        このメールは専門家派遣事業 事務局（HakenDesk）から自動で送信しています。
        ご不明な点は事務局（\(settings.senderAddress)、平日 9:00〜17:00）までお問い合わせください。
        """
    }

    static func howToResend(window: Bool) -> String {
        var text = """
        次の形式の件名で、登録メールアドレスから再送してください（本文は不要です）。
          開始・終了時刻の報告: \(timeFormat)
          支援状況写真（添付）: \(photoFormat)
        """
        if window { text += "\n支援開始・終了時刻の±20分以内に届くよう、お早めに送信してください。" }
        return text
    }

    static func roleName(_ role: ReportTiming.Role) -> String { role == .start ? "支援開始" : "支援終了" }

    static func accepted(business: String, expert: String, role: ReportTiming.Role, written: LocalDateTime,
                         received: LocalDateTime, status: EvidenceStatus, notes: [String], photos: Int) -> (String, String) {
        let when = "\(JapaneseDateFormat.monthDayWeekday(written.date)) \(written.time.hhmm)"
        var body = "\(business)様\n\n"
        switch status {
        case .accepted:
            body += "\(when) の\(roleName(role))報告を受け付けました（専門家: \(expert)、受信 \(received.time.hhmm)）。"
        case .late:
            body += "\(when) の\(roleName(role))報告を受信しましたが、受信時刻（\(received.time.hhmm)）が報告時刻の±20分を超えています。\n"
            body += "期限外の報告として記録しました。後日「支援実施申告書兼再発防止誓約書」（ご担当者・専門家・支援機関の記名押印）の提出が必要になります。"
        default:
            body += "\(when) の\(roleName(role))報告を受信しました（受信 \(received.time.hhmm)）。事務局で内容を確認します。"
        }
        if photos > 0 { body += "\n支援状況写真 \(photos) 枚もあわせて受け付けました。" }
        if !notes.isEmpty { body += "\n\n確認事項:\n" + notes.map { "・\($0)" }.joined(separator: "\n") }
        let subject = status == .late ? "【期限外】\(roleName(role))報告 \(business) \(when)" : "【受付】\(roleName(role))報告 \(business) \(when)"
        return (subject, body)
    }

    static func photo(business: String, date: CivilDate, count: Int, status: EvidenceStatus, notes: [String]) -> (String, String) {
        var body = "\(business)様\n\n\(JapaneseDateFormat.monthDayWeekday(date)) の支援状況写真 \(count) 枚を"
        body += status == .accepted ? "受け付けました。" : "受信しました。事務局で内容を確認します。"
        if status == .late {
            body = "\(business)様\n\n\(JapaneseDateFormat.monthDayWeekday(date)) の支援状況写真を受信しましたが、従事証明の入力後に届いたため期限外として記録しました。"
            body += "\n「支援実施申告書兼再発防止誓約書」の提出が必要になります。"
        }
        if !notes.isEmpty { body += "\n\n確認事項:\n" + notes.map { "・\($0)" }.joined(separator: "\n") }
        return ("【受付】支援状況写真 \(business) \(JapaneseDateFormat.monthDayWeekday(date))", body)
    }

    static func consent(fiscalYear: FiscalYear) -> (String, String) {
        ("【受付】写真提出の同意書 \(fiscalYear.label)",
         "写真提出の同意書（\(fiscalYear.label)・\(fiscalYear.eraLabel)）を受信しました。事務局で内容を確認します。")
    }

    static func problem(_ reason: String, window: Bool) -> (String, String) {
        ("【要再送】報告メールを受け付けられませんでした", "お送りいただいたメールを受け付けられませんでした。\n\n理由: \(reason)\n\n\(howToResend(window: window))")
    }

    static func refused(role: Role) -> (String, String) {
        ("【受付不可】報告メールについて",
         "このアドレスは\(role.japaneseName)として登録されています。支援開始・終了時刻の報告と支援状況写真は、事業者のご担当者様が登録メールアドレスから送信してください（\(role.japaneseName)からの送信は受け付けられません）。\nお送りいただいたメールは事務局で保管しています。")
    }
}
