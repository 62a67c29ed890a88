import Foundation
import HakenCore

/// Every form filled from one made-up dispatch (the guide's own example, ばそな建設 and
/// 専門家次郎 on 8月21日): what `hakendesk forms sample` prints, the golden images are made
/// from and the benchmark draws.
public enum SampleForms {
    public static let kinds = ["declaration-report", "declaration-photo", "declaration-time", "consent", "certification", "expert-report", "record"]

    static let made = FormMoment(LocalDateTime(date: day(2019, 9, 9), time: time(10, 30)))
    static let dispatch = FormDispatch(
        id: UUID(uuidString: "6F1C2D3E-4A5B-4C6D-8E7F-901234567890") ?? UUID(),
        businessName: "ばそな建設株式会社", contactName: "派遣 花子", expertName: "専門家次郎", institutionName: "東京都よろず支援拠点",
        schedule: DispatchSchedule(date: day(2019, 8, 21), start: time(10, 30), end: time(15, 0),
                                   place: "東京都千代田区大手町一丁目3番1号 ばそな建設本社 3階会議室"))
    static let report = ExpertReport(
        actualStart: time(10, 30), actualEnd: time(15, 5),
        work: "資金繰り表の作成方法を説明し、直近6か月の実績をもとに社長・経理担当者と一緒に12か月分の見通しを作成した。売掛金の回収条件（末締め翌々月払い）が資金繰りを圧迫していることを確認し、主要取引先3社との条件見直しの進め方を助言した。",
        nextSteps: "取引先との交渉結果を踏まえ、次回は金融機関への借入相談の資料を準備する。", travelExpensesYen: 1_320)

    /// Constants of the sample (a failed one would be a typo here, shown as 令和元年5月1日 0:00).
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day) ?? JapaneseEra.reiwa.firstDay }
    static func time(_ hour: Int, _ minute: Int) -> TimeOfDay { TimeOfDay(hour: hour, minute: minute) ?? .midnight }

    public static func form(_ kind: String) -> PrintedForm? {
        let evidence = EvidenceChecklist([
            .startReport: EvidenceItem(status: .missing),
            .endReport: EvidenceItem(status: .late, receivedAt: LocalDateTime(date: dispatch.schedule.date, time: time(15, 42))),
            .photo: EvidenceItem(status: .rejected, receivedAt: LocalDateTime(date: dispatch.schedule.date, time: time(15, 44))),
        ])
        let expertTimes = (start: report.actualStart, end: report.actualEnd)
        switch kind {
        case "declaration-report", "declaration-photo", "declaration-time":
            let variant: DeclarationVariant = kind == "declaration-report" ? .reportForgotten : kind == "declaration-photo" ? .photoDeficient : .timeCorrected
            let covers: [EvidenceKind] = variant == .photoDeficient ? [.photo] : variant == .reportForgotten ? [.startReport, .endReport] : [.endReport]
            let items = DeclarationForm.items(variant, covers: covers, evidence: evidence, expertTimes: expertTimes,
                                              written: [.endReport: time(15, 40)])
            return DeclarationForm.make(dispatch, variant: variant, items: items, made: made)
        case "consent":
            return ConsentForm.make(.init(name: dispatch.businessName, postalCode: "100-0004", address: "東京都千代田区大手町一丁目3番1号",
                                          representative: "派遣 太郎", contactName: dispatch.contactName, email: "info@basona.example.jp"),
                                    businessID: "0A1B2C3D-0000-4000-8000-000000000001", year: FiscalYear(startYear: 2019),
                                    visits: [.init(date: dispatch.schedule.date, expert: dispatch.expertName),
                                             .init(date: day(2019, 10, 2), expert: "専門家三郎")],
                                    secretariatAddress: "report@haken.example.jp", made: made)
        case "certification":
            return CertificationForm.make(dispatch, certification: Certification(times: .confirmed, rating: 4, comment: "具体的な数字で説明していただき、よく分かりました。"),
                                          expertTimes: expertTimes, certifiedAt: LocalDateTime(date: day(2019, 8, 23), time: time(9, 12)),
                                          made: made)
        case "expert-report":
            return ExpertReportForm.make(dispatch, report: report, filedAt: LocalDateTime(date: day(2019, 8, 22), time: time(18, 3)),
                                         made: made)
        case "record":
            let mails = (0..<3).map { index in
                DispatchRecordForm.Mail(received: LocalDateTime(date: dispatch.schedule.date, time: time(index == 0 ? 10 : 15, index == 0 ? 31 : 40 + index)),
                                        from: "info@basona.example.jp", subject: ["ばそな建設/専門家次郎/8月21日 10:30", "ばそな建設/専門家次郎/8月21日 15:40",
                                                                                  "ばそな建設/専門家次郎/8月21日(水)10:30~15:00"][index],
                                        status: ["受理", "期限外", "不受理"][index],
                                        sha256: String(repeating: ["3f9a", "b27c", "e01d"][index], count: 16))
            }
            var entries: [DispatchRecordForm.Entry] = []
            for seq in 1...6 {
                let byMail = seq < 4
                let at = "2019-08-21T1\(seq % 6):0\(seq):00.000+09:00"
                entries.append(DispatchRecordForm.Entry(seq: Int64(1000 + seq), at: at, actor: byMail ? "mail" : "desk:secretariat@haken.example.jp",
                                                        action: byMail ? "mail.process" : "desk.photo.check",
                                                        details: "dispatch=6f1c2d3e status=accepted note=報告を受理", hash: String(repeating: "a\(seq)", count: 32)))
            }
            return DispatchRecordForm.make(.init(dispatch: dispatch, state: "申告書待ち", deadline: day(2019, 9, 20), cancelReason: nil,
                                                 checklist: evidence, mails: mails,
                                                 decisions: ["8月22日 支援状況写真を不受理（ご担当者が写っていない）: secretariat@haken.example.jp"],
                                                 entries: entries), made: made)
        default:
            return nil
        }
    }
}
