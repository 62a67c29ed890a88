/// The reminder before a deadline (to the person in charge, a copy to the institution) and
/// the notices of the outside-programme decision (NOTE-1, NOTE-2).
public enum ReminderText {
    static func label(_ schedule: DispatchSchedule, expert: String) -> String {
        "\(JapaneseDateFormat.monthDayWeekday(schedule.date)) \(schedule.start.hhmm)〜\(schedule.end.hhmm)（専門家: \(expert)）"
    }

    static func how(_ kind: DutyKind) -> String {
        switch kind {
        case .photo:
            return "支援状況写真（ご担当者と専門家が一緒に写ったもの）を、登録メールアドレスから事務局へメールでお送りください。撮影できなかった場合は、支援実施申告書が必要です。"
        case .certification:
            return "専門家の報告後にお送りしたメールのリンクから、従事証明と専門家評価を入力してください。リンクが見当たらない場合は事務局へご連絡ください。"
        case .declaration:
            return "支援実施申告書兼再発防止誓約書に、ご担当者・専門家・支援機関の三者が記名押印のうえ、スキャンしたPDFをメールで、または原本を郵送でご提出ください。"
        case .final:
            return "まだ済んでいない手続きを、期限までにお済ませください。"
        }
    }

    public static func reminder(business: String, expert: String, schedule: DispatchSchedule, kind: DutyKind, deadline: CivilDate,
                                copyToInstitution: Bool) -> ReceiptText.Message {
        let opening = copyToInstitution
            ? "支援機関ご担当者様（\(business) 様への控え）"
            : "\(business) ご担当者様"
        return ReceiptText.Message(
            subject: "【専門家派遣】期限のお知らせ: \(kind.japaneseName)（\(JapaneseDateFormat.monthDayWeekday(deadline))まで）",
            body: """
            \(opening)

            \(label(schedule, expert: expert)) の支援について、次の手続きの期限が近づいています。

            手続き: \(kind.japaneseName)
            期限: \(JapaneseDateFormat.monthDayWeekday(deadline))

            \(how(kind))
            期限を過ぎると専門家への謝金・旅費の支払いが遅れ、最終期限までに済まない場合は事業対象外となり、費用をご負担いただく場合があります。
            """)
    }

    public static func outsideConfirmed(business: String, expert: String, schedule: DispatchSchedule, reason: String,
                                        copyToInstitution: Bool) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】事業対象外となりました（\(schedule.date.month)月\(schedule.date.day)日の支援）",
            body: """
            \(copyToInstitution ? "支援機関ご担当者様（\(business) 様への控え）" : "\(business) ご担当者様")

            \(label(schedule, expert: expert)) の支援は、期限までに必要な手続きが済まなかったため、事業対象外と決定しました（NOTE-2）。費用をご負担いただく場合があります。

            理由: \(reason)
            """)
    }

    public static func deadlineExtended(business: String, expert: String, schedule: DispatchSchedule, deadline: CivilDate, reason: String,
                                        copyToInstitution: Bool) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】期限を延長しました（\(schedule.date.month)月\(schedule.date.day)日の支援）",
            body: """
            \(copyToInstitution ? "支援機関ご担当者様（\(business) 様への控え）" : "\(business) ご担当者様")

            \(label(schedule, expert: expert)) の支援について、手続きの最終期限を \(JapaneseDateFormat.monthDayWeekday(deadline)) まで延長しました。

            理由: \(reason)
            期限までに残りの手続きをお済ませください。
            """)
    }
}
