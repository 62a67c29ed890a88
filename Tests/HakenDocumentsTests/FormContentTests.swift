import Foundation
import HakenCore
@testable import HakenDocuments
import Testing

/// What each form says, without drawing it (milliseconds).
@Suite struct FormContentTests {
    static let day = CivilDate(year: 2019, month: 8, day: 21)
    static func time(_ h: Int, _ m: Int) -> TimeOfDay? { TimeOfDay(hour: h, minute: m) }

    static func dispatch() throws -> FormDispatch {
        FormDispatch(id: try #require(UUID(uuidString: "6F1C2D3E-4A5B-4C6D-8E7F-901234567890")), businessName: "ばそな建設株式会社", contactName: "派遣 花子",
                     expertName: "専門家次郎", institutionName: "東京都よろず支援拠点",
                     schedule: DispatchSchedule(date: try #require(day), start: try #require(time(10, 30)), end: try #require(time(15, 0)), place: "本社"))
    }

    static func moment() throws -> FormMoment {
        FormMoment(LocalDateTime(date: try #require(CivilDate(year: 2019, month: 9, day: 9)), time: try #require(time(10, 30))))
    }

    @Test("DAY-4: the declaration for a forgotten report names the missing report, the dispatch and all three parties' seal lines")
    func declarationForgotten() throws {
        let evidence = EvidenceChecklist([.endReport: EvidenceItem(status: .accepted)])
        let items = DeclarationForm.items(.reportForgotten, covers: [.startReport], evidence: evidence,
                                          expertTimes: (start: try #require(Self.time(10, 35)), end: try #require(Self.time(15, 0))))
        #expect(items == [.init(kind: .startReport, onRecord: "受信なし", actual: "10:35（専門家の報告）")])
        let form = DeclarationForm.make(try Self.dispatch(), variant: .reportForgotten, items: items, made: try Self.moment())
        #expect(form.title == "支援実施申告書兼再発防止誓約書")
        #expect(form.reference == "DCL-20190821-6F1C2D3E")
        #expect(form.madeOn == "令和元年9月9日" && form.madeAt == "2019-09-09T10:30:00+09:00")
        let text = form.texts.joined(separator: "\n")
        #expect(text.contains("支援開始時刻の報告メールを所定の時刻（±20分以内）に送信できなかった"))
        #expect(!text.contains("支援開始時刻・支援終了時刻"))
        #expect(text.contains("令和元年8月21日(水)") && text.contains("10:30〜15:00"))
        #expect(text.contains("■ 支援開始時刻の報告") && text.contains("□ 支援終了時刻の報告"))
        guard case .seals(let seals)? = form.blocks.first(where: { if case .seals = $0 { return true } else { return false } }) else {
            Issue.record("no seal lines")
            return
        }
        #expect(seals.map(\.role) == ["中小企業者等\n（ご担当者）", "専門家", "支援機関"])
        #expect(seals[0].lines.map(\.value) == ["ばそな建設株式会社", "派遣 花子"])
        #expect(seals[2].lines.map(\.value) == ["東京都よろず支援拠点", ""])
    }

    @Test("DAY-7: the photo variant covers the photo only; a late item says when it came")
    func declarationPhoto() throws {
        let received = LocalDateTime(date: try #require(Self.day), time: try #require(Self.time(15, 44)))
        let evidence = EvidenceChecklist([.photo: EvidenceItem(status: .rejected, receivedAt: received)])
        let items = DeclarationForm.items(.photoDeficient, covers: [.photo], evidence: evidence, expertTimes: nil)
        #expect(items == [.init(kind: .photo, onRecord: "不受理　令和元年8月21日 15:44受信", actual: "")])
        let text = DeclarationForm.make(try Self.dispatch(), variant: .photoDeficient, items: items, made: try Self.moment()).texts.joined()
        #expect(text.contains("支援状況写真（ご担当者と専門家が一緒に写ったもの）を撮影・送付できなかった"))
        #expect(text.contains("申告の内容（写真不備）"))
    }

    @Test("DEC-2: the time-correction variant prints the time the rejected report's subject gave; the others do not")
    func declarationTimeCorrected() throws {
        let received = LocalDateTime(date: try #require(Self.day), time: try #require(Self.time(10, 52)))
        let evidence = EvidenceChecklist([.startReport: EvidenceItem(status: .rejected, receivedAt: received)])
        let written: [EvidenceKind: TimeOfDay] = [.startReport: try #require(Self.time(10, 45))]
        let corrected = DeclarationForm.items(.timeCorrected, covers: [.startReport], evidence: evidence, expertTimes: nil, written: written)
        #expect(corrected.first?.onRecord == "不受理　令和元年8月21日 10:52受信　件名の時刻 10:45")
        let forgotten = DeclarationForm.items(.reportForgotten, covers: [.startReport], evidence: evidence, expertTimes: nil, written: written)
        #expect(forgotten.first?.onRecord == "不受理　令和元年8月21日 10:52受信")
    }

    @Test("DAY-4: a blank declaration asked for before anything is missing covers every item of its variant")
    func declarationBlank() throws {
        let items = DeclarationForm.items(.timeCorrected, covers: [], evidence: EvidenceChecklist(), expertTimes: nil)
        #expect(items.map(\.kind) == [.startReport, .endReport])
    }

    @Test("AFT-1: the consent names the fiscal year in 和暦 with its dates, the business and the year's dispatches")
    func consent() throws {
        let form = ConsentForm.make(.init(name: "ばそな建設株式会社", postalCode: "100-0004", address: "東京都千代田区大手町1-3-1", representative: nil,
                                          contactName: "派遣 花子", email: "info@basona.example.jp"),
                                    businessID: "0a1b2c3d-0000-4000-8000-000000000001", year: FiscalYear(startYear: 2019),
                                    visits: [.init(date: try #require(Self.day), expert: "専門家次郎")], secretariatAddress: "report@haken.example.jp",
                                    made: try Self.moment())
        #expect(form.reference == "CNS-2019-0A1B2C3D")
        let text = form.texts.joined(separator: "\n")
        #expect(text.contains("令和元年度（2019年4月1日から2020年3月31日まで）"))
        #expect(text.contains("〒100-0004　東京都千代田区大手町1-3-1"))
        #expect(text.contains("令和元年8月21日(水)") && text.contains("report@haken.example.jp"))
    }

    @Test("AFT-2: the certification prints the rating in words and a dispute with its reason")
    func certification() throws {
        let form = CertificationForm.make(try Self.dispatch(), certification: Certification(times: .disputed(reason: "終了は14:30でした"), rating: 2, comment: nil),
                                          expertTimes: nil, certifiedAt: LocalDateTime(date: try #require(Self.day), time: try #require(Self.time(18, 0))),
                                          made: try Self.moment())
        let text = form.texts.joined(separator: "\n")
        #expect(text.contains("2（やや不満）") && text.contains("異議あり（事務局で確認）") && text.contains("終了は14:30でした"))
    }

    @Test("AFT-2: the expert's report prints the work and the travel claim in yen with grouping")
    func expertReport() throws {
        let report = ExpertReport(actualStart: try #require(Self.time(10, 30)), actualEnd: try #require(Self.time(15, 5)), work: "資金繰り表の作成", nextSteps: nil,
                                  travelExpensesYen: 1_234_567)
        let text = ExpertReportForm.make(try Self.dispatch(), report: report, filedAt: LocalDateTime(date: try #require(Self.day), time: try #require(Self.time(18, 3))),
                                         made: try Self.moment()).texts.joined(separator: "\n")
        #expect(text.contains("1,234,567円") && text.contains("10:30〜15:05") && text.contains("4. 旅費の請求"))
        #expect(YenText.grouped(0) == "0" && YenText.grouped(999) == "999" && YenText.grouped(1_000) == "1,000" && YenText.grouped(-1_000) == "-1,000")
    }

    @Test("NOTE-3: the record cuts an endless subject on paper but keeps the digest whole")
    func recordSubject() throws {
        let mail = DispatchRecordForm.Mail(received: LocalDateTime(date: try #require(Self.day), time: try #require(Self.time(10, 31))), from: "a@example.jp",
                                           subject: String(repeating: "長", count: 500), status: "受理", sha256: String(repeating: "0", count: 64))
        let form = DispatchRecordForm.make(.init(dispatch: try Self.dispatch(), state: "完了", deadline: try #require(Self.day), cancelReason: nil,
                                                 checklist: EvidenceChecklist(), mails: [mail], decisions: [], entries: []), made: try Self.moment())
        let text = form.texts.joined(separator: "\n")
        #expect(text.contains(String(repeating: "長", count: DispatchRecordForm.subjectLimit) + "…"))
        #expect(!text.contains(String(repeating: "長", count: DispatchRecordForm.subjectLimit + 1)))
        #expect(text.contains(String(repeating: "0", count: 64)))
    }

    @Test("Dates on forms: 和暦 with the weekday; before 昭和 the western date")
    func dates() throws {
        #expect(FormDates.day(try #require(CivilDate(year: 2019, month: 4, day: 30))) == "平成31年4月30日(火)")
        #expect(FormDates.day(try #require(CivilDate(year: 2019, month: 5, day: 1))) == "令和元年5月1日(水)")
        #expect(FormDates.day(try #require(CivilDate(year: 1900, month: 1, day: 1))) == "1900年1月1日(月)")
        #expect(JapaneseDateFormat.slashed(stamp: "2019-08-21T10:41:05.123+09:00") == "2019/08/21 10:41:05")
        #expect(JapaneseDateFormat.slashed(stamp: "yesterday") == "yesterday")
        #expect(JapaneseDateFormat.slashed(stamp: "2019-08-21 10:41:05") == "2019-08-21 10:41:05")
        #expect(JapaneseDateFormat.slashed(try #require(CivilDate(year: 99, month: 1, day: 2))) == "0099/01/02")
    }
}
