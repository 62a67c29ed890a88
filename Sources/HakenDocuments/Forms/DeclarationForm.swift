import HakenCore

/// 支援実施申告書兼再発防止誓約書 (DAY-4, DAY-7), pre-filled from the dispatch and from what
/// the secretariat has on record, with the three parties' name lines and 印 boxes. One form,
/// three variants: a report forgotten, a photo deficient, a report's time corrected.
public enum DeclarationForm {
    /// One item the declaration stands in for, with what the secretariat has and what the
    /// expert reported, so the parties only write what happened.
    public struct Item: Sendable, Equatable {
        public var kind: EvidenceKind
        public var onRecord: String
        public var actual: String

        public init(kind: EvidenceKind, onRecord: String, actual: String) {
            self.kind = kind
            self.onRecord = onRecord
            self.actual = actual
        }
    }

    /// The items of `variant` this dispatch needs it for, described from its checklist.
    /// `covers` empty (a blank form asked for before anything is missing): every item the variant can cover.
    /// `written`: the time each time report's subject gave (the last mail of each), for 報告時刻訂正.
    public static func items(_ variant: DeclarationVariant, covers: [EvidenceKind], evidence: EvidenceChecklist,
                             expertTimes: (start: TimeOfDay, end: TimeOfDay)?, written: [EvidenceKind: TimeOfDay] = [:]) -> [Item] {
        let kinds = covers.isEmpty ? variant.covers : variant.covers.filter(covers.contains)
        return kinds.map { kind in
            let item = evidence[kind]
            var onRecord: String
            switch item.status {
            case .missing: onRecord = "受信なし"
            case .late: onRecord = "受信（±20分の範囲外）"
            case .rejected: onRecord = "不受理"
            case .review: onRecord = "確認中"
            case .accepted: onRecord = "受理"
            case .waived: onRecord = "免除"
            }
            if let received = item.receivedAt, item.status != .missing { onRecord += "　\(FormDates.moment(received))受信" }
            if variant == .timeCorrected, let time = written[kind] { onRecord += "　件名の時刻 \(time.hhmm)" }
            var actual = ""
            if let expertTimes {
                if kind == .startReport { actual = "\(expertTimes.start.hhmm)（専門家の報告）" }
                if kind == .endReport { actual = "\(expertTimes.end.hhmm)（専門家の報告）" }
            }
            return Item(kind: kind, onRecord: onRecord, actual: actual)
        }
    }

    public static func make(_ dispatch: FormDispatch, variant: DeclarationVariant, items: [Item], made: FormMoment) -> PrintedForm {
        let what: String
        switch variant {
        case .reportForgotten:
            let names = items.map { $0.kind == .startReport ? "支援開始時刻" : "支援終了時刻" }
            what = "\(names.isEmpty ? "支援開始時刻・終了時刻" : names.joined(separator: "・"))の報告メールを所定の時刻（±20分以内）に送信できなかった"
        case .photoDeficient:
            what = "支援状況写真（ご担当者と専門家が一緒に写ったもの）を撮影・送付できなかった、または写真に不備があった"
        case .timeCorrected:
            what = "報告メールの件名に記載した時刻に誤りがあった"
        }
        let blocks: [FormBlock] = [
            .addressee("専門家派遣事務局　御中", date: "提出日　\(FormDates.blankDate)"),
            .paragraph("下記の専門家派遣について、\(what)ことを申告いたします。あわせて、今後同様のことが起こらないよう、再発防止に努めることを誓約いたします。"),
            .heading("1. 派遣の内容"),
            .grid(dispatch.fields),
            .heading("2. 申告の内容（\(variant.japaneseName)）"),
            .table(columns: [FormColumn("申告する項目", share: 3.4), FormColumn("事務局の記録", share: 3.6), FormColumn("実際", share: 3)],
                   rows: variant.covers.map { kind in
                       guard let item = items.first(where: { $0.kind == kind }) else { return ["□ " + kind.japaneseName, "（この申告の対象外）", ""] }
                       return ["■ " + kind.japaneseName, item.onRecord, item.actual.isEmpty ? "　　：　　" : item.actual]
                   }),
            .writeIn(label: "3. 経緯と理由（具体的にご記入ください）", lines: 4),
            .writeIn(label: "4. 再発防止のための取り組み", lines: 2),
            .heading("5. 記名・押印（三者）"),
            .seals([
                SealLine(role: "中小企業者等\n（ご担当者）", lines: [FormField("事業者名", dispatch.businessName), FormField("氏名", dispatch.contactName)]),
                SealLine(role: "専門家", lines: [FormField("氏名", dispatch.expertName)]),
                SealLine(role: "支援機関", lines: [FormField("機関名", dispatch.institutionName), FormField("担当者", "")]),
            ]),
            .note("三者の記名・押印がそろったものを、スキャンした PDF をメールで、または原本を郵送で事務局へお送りください。事務局が受理するまで、この派遣の専門家謝金・旅費のお支払いは保留されます。期限までに届かない場合、この派遣は事業の対象外となり、費用をご負担いただくことがあります。"),
        ]
        return PrintedForm(title: "支援実施申告書兼再発防止誓約書", reference: dispatch.reference("DCL"), madeOn: made.madeOn, madeAt: made.madeAt,
                           blocks: blocks)
    }
}
