/// The mails of accounts and of the work after the day, worded once (pages and tests use these).
public enum AccountMailText {
    public static func signup(link: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【確認】専門家派遣 事業者アカウントの登録",
            body: """
            専門家派遣事業へのアカウント登録のお申し込みを受け付けました。
            次のリンクを開き、「メールアドレスを確認する」を押して登録を完了してください。続けて事業者情報を登録していただきます。

            \(link)

            リンクの有効期限は24時間、使えるのは1回だけです。お心当たりのない場合は、このメールを破棄してください。
            このメールアドレスが、当日報告を送る「登録メールアドレス」になります。
            """)
    }

    /// Sign-up with an address that already has an account: no second account, a way in instead.
    public static func alreadyRegistered(loginLink: String, resetLink: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【ご案内】専門家派遣 アカウントは登録済みです",
            body: """
            このメールアドレスでアカウント登録のお申し込みがありましたが、このアドレスのアカウントは既に登録されています。

            ログイン: \(loginLink)
            パスワードをお忘れの場合: \(resetLink)

            お心当たりのない場合は、このメールを破棄してください。アカウントは変更されていません。
            """)
    }

    public static func passwordReset(link: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】パスワードの再設定",
            body: """
            パスワード再設定のお申し込みを受け付けました。次のリンクから新しいパスワードを設定してください。

            \(link)

            リンクの有効期限は1時間、使えるのは1回だけです。お心当たりのない場合は、このメールを破棄してください（パスワードは変わりません）。
            """)
    }

    public static func invitation(name: String, role: Role, party: String?, link: String) -> ReceiptText.Message {
        let whom = party.map { "\($0)の\(role.japaneseName)" } ?? role.japaneseName
        return ReceiptText.Message(
            subject: "【専門家派遣】HakenDesk へのご招待",
            body: """
            \(name)様

            専門家派遣事業の事務局から、\(whom)としての HakenDesk アカウントにご招待します。
            次のリンクを開き、パスワードを設定してください。

            \(link)

            リンクの有効期限は7日間です。お心当たりのない場合は、事務局までお知らせください。
            """)
    }

    /// AFT-2: after the expert's report, to the person in charge.
    public static func certificationRequest(business: String, contact: String, expert: String, date: String, link: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】従事証明と専門家評価のお願い（\(date) \(expert)）",
            body: """
            \(business)
            \(contact)様

            \(date)の専門家派遣について、\(expert)から支援報告が提出されました。
            次のリンクを開き、報告された支援の時刻と内容を確認のうえ、従事証明と専門家の評価を入力してください。
            ログインは不要です。

            \(link)

            支援状況写真がまだの場合は、先に写真をお送りください（写真が届くまで従事証明は入力できません）。
            従事証明が済むまで、専門家への謝金・旅費の支払いができません。
            リンクの有効期限は30日間、使えるのは1回だけです。
            """)
    }

    /// CON-5: a dispatch filed, told to the business and the expert.
    public static func dispatchFiled(recipient: String, business: String, expert: String, institution: String, when: String, place: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】派遣が決まりました（\(when)）",
            body: """
            \(recipient)様

            \(institution)から、次の専門家派遣が申請されました。

            事業者: \(business)
            専門家: \(expert)
            日時: \(when)
            場所: \(place)

            当日は、支援の開始時と終了時（それぞれ前後20分以内）に、登録メールアドレスから事務局へ報告メールをお送りください。
            件名の例: \(business)/\(expert)/8月21日 10:30
            HakenDesk の派遣ページの「当日の報告」から、件名入りのメールを作成できます。
            """)
    }
}

extension AccountMailText {
    /// CON-5: a new schedule, told to the business and the expert.
    public static func dispatchRescheduled(recipient: String, business: String, expert: String, before: String, after: String,
                                           place: String, reason: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】日程が変更されました（\(after)）",
            body: """
            \(recipient)様

            次の専門家派遣の日程が変更されました。

            事業者: \(business)
            専門家: \(expert)
            変更前: \(before)
            変更後: \(after)
            場所: \(place)
            理由: \(reason)

            当日の報告は、変更後の開始時刻・終了時刻の前後20分以内にお送りください。
            """)
    }

    /// CON-5: a cancellation, told to the business and the expert.
    public static func dispatchCancelled(recipient: String, business: String, expert: String, when: String, reason: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【専門家派遣】派遣が取り消されました（\(when)）",
            body: """
            \(recipient)様

            次の専門家派遣が取り消されました。

            事業者: \(business)
            専門家: \(expert)
            日時: \(when)
            理由: \(reason)

            この派遣についての報告は不要です。
            """)
    }
}
