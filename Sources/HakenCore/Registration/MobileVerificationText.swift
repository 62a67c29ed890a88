/// DEC-10: the mail that asks the holder of a mobile address to confirm it.
public enum MobileVerificationText {
    public static func message(business: String, link: String) -> ReceiptText.Message {
        ReceiptText.Message(
            subject: "【確認】携帯メールアドレスの登録（\(business)）",
            body: """
            \(business)様

            このアドレスが、専門家派遣の当日報告（支援開始・終了時刻の報告、支援状況写真）を送る携帯メールアドレスとして登録されました。
            次のリンクを開き、「このアドレスを確認する」を押してください。確認が済むまで、このアドレスからの報告は事務局の確認待ちになります。

            \(link)

            リンクの有効期限は7日間です。お心当たりのない場合は、このメールを破棄してください。
            """)
    }
}
