import Foundation
import HakenStore

/// NOTE-3: audit entries in the words the secretariat reads them.
enum AuditText {
    static let actions: [String: String] = [
        "mail.process": "メールを受信・処理", "mail.error": "メールを処理できず保留", "evidence.record": "記録を変更",
        "dispatch.create": "派遣を登録", "dispatch.reschedule": "日程を変更", "dispatch.cancel": "派遣を取消",
        "dispatch.outside.propose": "事業対象外を提案（期限超過）", "dispatch.outside.decide": "事業対象外の判断",
        "consultation.create": "経営相談を記録", "expert_report.file": "専門家が報告", "certification.enter": "従事証明を入力",
        "consent.submit": "同意書を提出", "consent.accept": "同意書を受理", "consent.reject": "同意書を不受理",
        "desk.mail.accept": "事務局: メールを受理", "desk.mail.reject": "事務局: メールを不受理", "desk.mail.assign": "事務局: 派遣に割当",
        "desk.mail.dismiss": "事務局: 対象外", "desk.photo.check": "事務局: 写真を確認", "desk.declaration.record": "事務局: 申告書を記録",
        "desk.dispute.decide": "事務局: 異議を判断", "deadline.remind": "期限のお知らせを送信", "deadline.escalate": "期限超過を事務局へ",
        "account.signup": "アカウント登録", "account.verify": "メールアドレス確認", "account.invite": "招待", "account.password": "パスワード設定",
        "account.create": "アカウント作成", "business.register": "事業者情報を登録", "business.mobile.change": "携帯アドレスを変更",
        "business.mobile.verify": "携帯アドレスを確認", "expert.profile": "専門家プロフィール", "expert.affiliation.add": "所属を追加",
        "expert.affiliation.remove": "所属を削除", "token.issue": "APIトークン発行", "token.revoke": "APIトークン失効",
        "audit.guard.restore": "監査ログの保護を復元", "institution.create": "支援機関を登録", "expert.create": "専門家を登録",
        "business.create": "事業者を登録",
    ]

    static func action(_ name: String) -> String { actions[name] ?? name }

    /// The log's Tokyo timestamp (`2019-08-21T10:31:00.000+09:00`) as people read it.
    static func at(_ stamp: String) -> String {
        String(stamp.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }

    /// The details as `key=value` pairs, for a person.
    static func details(_ json: String) -> String {
        guard let data = json.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return json }
        return object.keys.sorted().map { "\($0)=\(object[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
    }
}
