import HakenCore

/// AFT-2 for the file: the expert's report with the travel claim, and the business's work
/// certification and evaluation, each as it was entered.
public enum ExpertReportForm {
    public static func make(_ dispatch: FormDispatch, report: ExpertReport, filedAt: LocalDateTime, made: FormMoment) -> PrintedForm {
        var blocks: [FormBlock] = [
            .heading("1. 派遣の内容"),
            .grid(dispatch.fields),
            .heading("2. 支援の実施"),
            .fields([
                FormField("実際の支援時間", "\(report.actualStart.hhmm)〜\(report.actualEnd.hhmm)"),
                FormField("報告の提出", FormDates.moment(filedAt)),
            ]),
            .heading("3. 支援の内容"),
            .paragraph(report.work),
        ]
        if let next = report.nextSteps, !next.isEmpty {
            blocks += [.heading("4. 今後の課題・次回への申し送り"), .paragraph(next)]
        }
        blocks += [
            .heading(report.nextSteps?.isEmpty == false ? "5. 旅費の請求" : "4. 旅費の請求"),
            .fields([FormField("旅費（交通費）", YenText.yen(report.travelExpensesYen))]),
            .note("上記のとおり支援を実施したことを報告し、旅費を請求します。"),
            .seals([SealLine(role: "専門家", lines: [FormField("氏名", dispatch.expertName)])]),
        ]
        return PrintedForm(title: "専門家派遣 支援報告書（旅費請求を含む）", reference: dispatch.reference("RPT"), madeOn: made.madeOn,
                           madeAt: made.madeAt, blocks: blocks)
    }
}

public enum CertificationForm {
    /// How the 1…5 rating reads on the page where it was entered.
    public static func ratingText(_ rating: Int) -> String {
        let words = [1: "不満", 2: "やや不満", 3: "普通", 4: "満足", 5: "とても満足"]
        return "\(rating)（\(words[rating] ?? "—")）"
    }

    public static func make(_ dispatch: FormDispatch, certification: Certification, expertTimes: (start: TimeOfDay, end: TimeOfDay)?,
                            certifiedAt: LocalDateTime, made: FormMoment) -> PrintedForm {
        let times: String
        var dispute: [FormBlock] = []
        switch certification.times {
        case .confirmed: times = "専門家の報告した時刻のとおり"
        case .disputed(let reason):
            times = "異議あり（事務局で確認）"
            dispute = [.heading("実際の時刻と内容（ご担当者の記載）"), .paragraph(reason)]
        }
        var blocks: [FormBlock] = [
            .heading("1. 派遣の内容"),
            .grid(dispatch.fields),
            .heading("2. 従事証明"),
            .fields([
                FormField("専門家の報告した時刻", expertTimes.map { "\($0.start.hhmm)〜\($0.end.hhmm)" } ?? "—"),
                FormField("確認の結果", times),
                FormField("入力日時", FormDates.moment(certifiedAt)),
            ]),
        ]
        blocks += dispute
        blocks += [
            .heading("3. 専門家の評価"),
            .fields([FormField("評価", ratingText(certification.rating)), FormField("ご意見", certification.comment ?? "")]),
            .note("この書面は、中小企業者等のご担当者が事務局から届いたメールのリンクから入力した内容の控えです。"),
        ]
        return PrintedForm(title: "従事証明・専門家評価（入力内容の控え）", reference: dispatch.reference("CRT"), madeOn: made.madeOn,
                           madeAt: made.madeAt, blocks: blocks)
    }
}
