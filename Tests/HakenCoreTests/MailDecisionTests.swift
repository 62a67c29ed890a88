import Foundation
import Testing
@testable import HakenCore

/// The mail rules as one pure function (`MailRules.decide`): each case is what was loaded,
/// and what the decision must be. Milliseconds, no database.
@Suite struct MailDecisionTests {
    static let basona = BusinessRef(id: UUID(uuidString: "00000000-0000-0000-0000-0000000000b1")!, name: "ばそな建設")
    static let other = BusinessRef(id: UUID(uuidString: "00000000-0000-0000-0000-0000000000b2")!, name: "さくら製菓")
    static let dispatchID = UUID(uuidString: "00000000-0000-0000-0000-0000000000d1")!
    static let registered = "info@basona.example.jp"

    static func at(_ iso: String, _ hhmm: String) -> LocalDateTime {
        LocalDateTime(date: CivilDate(iso: iso)!, time: TimeOfDay(hhmm: hhmm)!)
    }

    static func dispatch(start: String = "10:30", end: String = "15:00", on day: String = "2019-08-21", business: BusinessRef = basona,
                         evidence: [EvidenceKind: RecordedEvidence] = [:]) -> CandidateDispatch {
        CandidateDispatch(id: dispatchID, business: business, expertName: "専門家次郎",
                          schedule: DispatchSchedule(date: CivilDate(iso: day)!, start: TimeOfDay(hhmm: start)!, end: TimeOfDay(hhmm: end)!, place: "本社"),
                          evidence: evidence)
    }

    static func subject(_ text: String) -> SubjectReading {
        // The reader lives in HakenMail; these tests spell the reading out.
        let parts = text.split(separator: "/").map(String.init)
        let when = parts[2]
        let dayPart = when.split(separator: " ").first.map(String.init) ?? ""
        let month = Int(dayPart.split(separator: "月")[0])!
        let day = Int(dayPart.split(separator: "月")[1].dropLast())!
        let times = when.split(separator: " ")[1].split(separator: "~").map { TimeOfDay(hhmm: String($0).count == 4 ? "0" + $0 : String($0))! }
        return .report(ReportSubject(business: parts[0], expert: parts[1], month: month, day: day, time: times[0], end: times.count > 1 ? times[1] : nil))
    }

    static func facts(_ subjectText: String, at received: LocalDateTime, sender: MailFacts.Sender = .business(basona, .registered),
                      address: String = registered, envelope: MailFacts.ReplyPath? = nil, candidates: [CandidateDispatch] = [dispatch()],
                      attachments: [MailFacts.Attachment] = [], auth: SenderAuthentication? = nil) -> MailFacts {
        let reading: SubjectReading = subjectText.contains("/") ? subject(subjectText) : .problem(.notAReport)
        return MailFacts(received: received, senderAddress: address, sender: sender, subject: reading, subjectText: subjectText,
                         attachments: attachments, authentication: auth, replyPath: envelope ?? .address(address),
                         candidates: candidates)
    }

    static let photo = MailFacts.Attachment(filename: "photo.jpg", kind: .photo(file: "files/ab/cd/abcd.jpg"))

    // MARK: - DAY-1 / DAY-2 and DEC-5

    @Test("DAY-1: a start report within ±20 minutes is accepted, with the receipt in full")
    func startReportOnTime() {
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:42")))
        #expect(decision.status == .matched)
        #expect(decision.evidence == [EvidenceChange(dispatchID: Self.dispatchID, kind: .startReport, status: .accepted, trust: .registered)])
        #expect(decision.receipt?.to == Self.registered)
        #expect(decision.receipt?.audience == .party)
        #expect(decision.receipt?.message == ReceiptText.Message(
            subject: "【受付】支援開始報告 ばそな建設 8月21日(水) 10:30",
            body: "ばそな建設様\n\n8月21日(水) 10:30 の支援開始報告を受け付けました（専門家: 専門家次郎、受信 10:42）。"))
    }

    @Test("DEC-5: a night dispatch 00:10–03:20 that receives only 3:20 records the end report; the start stays missing")
    func nightDispatchEndReport() {
        let night = Self.dispatch(start: "00:10", end: "03:20", on: "2026-12-01")
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/12月1日 3:20", at: Self.at("2026-12-01", "03:25"), candidates: [night]))
        #expect(decision.evidence.map(\.kind) == [.endReport])
        #expect(decision.evidence.first?.status == .accepted)
        #expect(decision.receipt?.message.subject == "【受付】支援終了報告 ばそな建設 12月1日(火) 03:20")
        #expect(decision.receipt?.message.body.contains("支援終了報告を受け付けました") == true)
    }

    @Test("DAY-2: an end report outside the window is late and says a declaration will be needed (full text)")
    func endReportLate() {
        let start = RecordedEvidence(status: .accepted, trust: .registered)
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 15:00", at: Self.at("2019-08-21", "15:21"),
                                                   candidates: [Self.dispatch(evidence: [.startReport: start])]))
        #expect(decision.evidence.first?.kind == .endReport)
        #expect(decision.evidence.first?.status == .late)
        #expect(decision.receipt?.message == ReceiptText.Message(
            subject: "【期限外】支援終了報告 ばそな建設 8月21日(水) 15:00",
            body: """
            ばそな建設様

            8月21日(水) 15:00 の支援終了報告を受信しましたが、受信時刻（15:21）が報告時刻の±20分を超えています。
            期限外の報告として記録しました。後日「支援実施申告書兼再発防止誓約書」（ご担当者・専門家・支援機関の記名押印）の提出が必要になります。

            確認事項:
            ・受信時刻が報告時刻から21分遅れて届いています（±20分以内が必要です）。
            """))
    }

    @Test("DAY-1: an early report asks to send again inside the window, not for a declaration (full text)")
    func earlyReportAsksToResend() {
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:09")))
        #expect(decision.evidence.first?.status == .late)
        #expect(decision.receipt?.message == ReceiptText.Message(
            subject: "【要再送】支援開始報告 ばそな建設 8月21日(水) 10:30",
            body: """
            ばそな建設様

            8月21日(水) 10:30 の支援開始報告を受信しましたが、報告時刻より前に届いたため（受信 10:09）、まだ受け付けられません。
            10:10〜10:50 の間に、同じ件名でもう一度送信してください。その報告で受け付けます。

            確認事項:
            ・受信時刻が報告時刻から21分早く届いています（±20分以内が必要です）。
            """))
        #expect(decision.receipt?.message.body.contains("申告書") == false)
        // Sending again inside the window improves it (DEC-11: same trust, late → accepted).
        let again = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:15"),
                                                candidates: [Self.dispatch(evidence: [.startReport: RecordedEvidence(status: .late, trust: .registered)])]))
        #expect(again.evidence.first?.status == .accepted)
    }

    // MARK: - DEC-11

    @Test("DEC-11: a stranger's mobile report never replaces the registered address's report")
    func lowerTrustNeverReplaces() {
        let recorded = RecordedEvidence(status: .late, trust: .registered)
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家太郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"),
                                                   sender: .unknownMobile, address: "someone@ezweb.ne.jp",
                                                   candidates: [Self.dispatch(evidence: [.startReport: recorded])]))
        #expect(decision.evidence.isEmpty)
        #expect(decision.status == .review)
        #expect(decision.flags.contains(.unknownSender))
        #expect(decision.reason.contains("登録メールアドレスからの報告が既にあるため"))
    }

    @Test("DEC-11: from the same trust a report replaces only to improve; from a higher trust it replaces")
    func sameTrustImprovesHigherReplaces() {
        #expect(EvidenceReplacement.verdict(new: .accepted, trust: .registered, existing: RecordedEvidence(status: .late, trust: .registered)) == .record)
        #expect(EvidenceReplacement.verdict(new: .late, trust: .registered, existing: RecordedEvidence(status: .accepted, trust: .registered)) != .record)
        #expect(EvidenceReplacement.verdict(new: .review, trust: .registered, existing: RecordedEvidence(status: .late, trust: .registered)) != .record)
        #expect(EvidenceReplacement.verdict(new: .late, trust: .registered, existing: RecordedEvidence(status: .review, trust: .unknownMobile)) == .record)
        #expect(EvidenceReplacement.verdict(new: .accepted, trust: .verifiedMobile, existing: RecordedEvidence(status: .late, trust: .registered)) != .record)
        #expect(EvidenceReplacement.verdict(new: .accepted, trust: .registered, existing: RecordedEvidence(status: .waived, trust: .secretariat)) != .record)
        #expect(EvidenceReplacement.verdict(new: .accepted, trust: .registered, existing: RecordedEvidence(status: .rejected, trust: .registered)) == .record)
        #expect(EvidenceReplacement.verdict(new: .accepted, trust: .registered, existing: nil) == .record)
        // The duplicate is kept as received and said so.
        let duplicate = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:35"),
                                                    candidates: [Self.dispatch(evidence: [.startReport: RecordedEvidence(status: .accepted, trust: .registered)])]))
        #expect(duplicate.evidence.isEmpty)
        #expect(duplicate.receipt?.message.subject.hasPrefix("【受付済】") == true)
    }

    // MARK: - DEC-12

    @Test("DEC-12: an unregistered sender's receipt names nobody and cannot tell a dispatch from none")
    func strangerReceiptRevealsNothing() {
        let withDispatch = MailRules.decide(Self.facts("ばそな建設/専門家太郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"),
                                                       sender: .unknownMobile, address: "someone@ezweb.ne.jp"))
        let withoutDispatch = MailRules.decide(Self.facts("ばそな建設/専門家太郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"),
                                                          sender: .unknownMobile, address: "someone@ezweb.ne.jp", candidates: []))
        let nonMobile = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"),
                                                    sender: .unknown, address: "x@example.com"))
        #expect(withDispatch.status == .review)
        #expect(withoutDispatch.status == .unmatched)
        for decision in [withDispatch, withoutDispatch, nonMobile] {
            #expect(decision.receipt?.audience == .unregistered)
            #expect(decision.receipt?.message == ReceiptText.Message(
                subject: "【受信】専門家派遣事業 事務局",
                body: """
                メールを受信しました。事務局で内容を確認します。

                支援開始・終了時刻の報告と支援状況写真は、事業者のご担当者様が登録メールアドレスから、次の形式の件名で送信してください（本文は不要です）。
                  開始・終了時刻の報告: 事業者名/専門家名/8月21日 10:30
                  支援状況写真（添付）: 事業者名/専門家名/8月21日(水)10:30~15:00
                支援開始・終了時刻の±20分以内に届くよう、お早めに送信してください。
                """))
        }
    }

    @Test("DEC-12: receipts go to the envelope sender, never the null sender; a forged From gets the neutral receipt")
    func receiptsGoToTheEnvelopeSender() {
        let bounce = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"), envelope: .nullSender))
        #expect(bounce.evidence.count == 1)
        #expect(bounce.receipt == nil)
        let unknownPath = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"), envelope: .unknown))
        #expect(unknownPath.receipt == nil)
        let forged = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"),
                                                 envelope: .address("attacker@evil.example")))
        #expect(forged.receipt?.to == "attacker@evil.example")
        #expect(forged.receipt?.audience == .unregistered)
        #expect(forged.receipt?.message.body.contains("ばそな建設") == false)
        var machine = Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:31"))
        machine.machine = true
        #expect(MailRules.decide(machine) == MailDecision(status: .machine, reason: "自動送信メール（RFC 3834）のため処理しません。"))
    }

    // MARK: - DEC-7, DEC-10

    @Test("DEC-7: a period-subject photo from an unregistered address is attached as a photo pending review")
    func strangersPhotoIsAttachedForReview() {
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30~15:00", at: Self.at("2019-08-21", "16:00"),
                                                   sender: .unknown, address: "photographer@example.com", attachments: [Self.photo]))
        #expect(decision.status == .review)
        #expect(decision.evidence == [EvidenceChange(dispatchID: Self.dispatchID, kind: .photo, status: .review, trust: .unknown,
                                                     note: "登録されていないアドレス（photographer@example.com）から受信した写真です。事務局で確認します（DEC-7）。",
                                                     file: "files/ab/cd/abcd.jpg")])
        #expect(decision.receipt?.audience == .unregistered)
        // Without a photo, a time subject from such an address waits unmatched.
        let time = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:30"),
                                               sender: .unknown, address: "photographer@example.com"))
        #expect(time.status == .unmatched)
        #expect(time.evidence.isEmpty)
    }

    @Test("DEC-10: a verified mobile address counts as the business for time reports and photos")
    func verifiedMobileCounts() {
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30~15:00", at: Self.at("2019-08-21", "15:10"),
                                                   sender: .business(Self.basona, .verifiedMobile), address: "basona@docomo.ne.jp",
                                                   attachments: [Self.photo]))
        #expect(decision.status == .matched)
        #expect(decision.evidence.first?.status == .accepted)
        #expect(decision.evidence.first?.trust == .verifiedMobile)
        #expect(decision.receipt?.audience == .party)
    }

    // MARK: - DEC-2, AFT-3, attachments, documents

    @Test("DEC-2: a written time that differs from the schedule is recorded and puts the mail on the review list")
    func scheduleDiscrepancyGoesToReview() {
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 11:00", at: Self.at("2019-08-21", "11:02")))
        #expect(decision.evidence.first?.kind == .startReport)
        #expect(decision.evidence.first?.status == .accepted)
        #expect(decision.status == .review)
        #expect(decision.flags == [.scheduleDiscrepancy])
        #expect(decision.evidence.first?.note == "報告時刻 11:00 が予定（10:30）と30分異なります（DEC-2）。")
    }

    @Test("AFT-3: a photo after the certification is late, and its receipt is not titled 【受付】 (full text)")
    func photoAfterCertificationIsLate() {
        let certified = RecordedEvidence(status: .accepted, trust: .registered)
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30~15:00", at: Self.at("2019-08-23", "09:00"),
                                                   candidates: [Self.dispatch(evidence: [.certification: certified])], attachments: [Self.photo]))
        #expect(decision.evidence.first?.status == .late)
        #expect(decision.receipt?.message == ReceiptText.Message(
            subject: "【期限外】支援状況写真 ばそな建設 8月21日(水)",
            body: """
            ばそな建設様

            8月21日(水) の支援状況写真を受信しましたが、従事証明の入力後に届いたため期限外として記録しました。
            「支援実施申告書兼再発防止誓約書」（ご担当者・専門家・支援機関の記名押印）の提出が必要になります。
            """))
    }

    @Test("DEC-7: a report in review gets a receipt titled 【確認中】, never 【受付】")
    func reviewReceiptTitle() {
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:30"),
                                                   auth: Self.failed))
        #expect(decision.status == .review)
        #expect(decision.evidence.first?.status == .review)
        #expect(decision.receipt?.message.subject == "【確認中】支援開始報告 ばそな建設 8月21日(水) 10:30")
    }

    static let failed = SenderAuthentication(verdict: .fail, results: ["dmarc=fail header.from=basona.example.jp (p=reject)"],
                                             reason: "DMARC 不合格（basona.example.jp のポリシー p=reject）")

    @Test("#12: a report whose From nothing vouches for, or that could not be checked, waits for a person; a pass counts")
    func senderAuthenticationDecides() {
        let subject = "ばそな建設/専門家次郎/8月21日 10:30"
        let failed = MailRules.decide(Self.facts(subject, at: Self.at("2019-08-21", "10:30"), auth: Self.failed))
        #expect(failed.flags == [.authenticationFailed])
        #expect(failed.evidence.first?.note?.contains("送信元のアドレスを確認できなかったため") == true)
        #expect(failed.receipt?.message.body.contains("DMARC") == false)
        let later = SenderAuthentication(verdict: .unverified, results: [], reason: "DNS の応答がありません")
        let unverified = MailRules.decide(Self.facts(subject, at: Self.at("2019-08-21", "10:30"), auth: later))
        #expect(unverified.status == .review)
        #expect(unverified.evidence.first?.note?.contains("確認が終わっていない") == true)
        let pass = SenderAuthentication(verdict: .pass, results: ["dmarc=pass"], reason: "DKIM 署名 basona.example.jp")
        let passed = MailRules.decide(Self.facts(subject, at: Self.at("2019-08-21", "10:30"), auth: pass))
        #expect(passed.status == .matched)
        #expect(passed.evidence.first?.status == .accepted)
        // No check configured: nothing is claimed either way.
        #expect(MailRules.decide(Self.facts(subject, at: Self.at("2019-08-21", "10:30"))).status == .matched)
    }

    @Test("DAY-6: a bad attachment is set aside with a reason; the valid photo beside it counts")
    func badAttachmentSetAside() {
        let bad = MailFacts.Attachment(filename: nil, kind: .setAside(reason: "添付ファイル（名前なし）は画像として読み取れないため使用しません（宣言された形式: image/xxxx…）"))
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30~15:00", at: Self.at("2019-08-21", "15:10"),
                                                   attachments: [bad, Self.photo]))
        #expect(decision.status == .matched)
        #expect(decision.evidence.first?.kind == .photo)
        #expect(decision.evidence.first?.status == .accepted)
        #expect(decision.reason.contains("画像として読み取れない"))
        #expect(decision.receipt?.message.body.contains("エラー") == false)
    }

    @Test("DAY-4: a declaration PDF from the registered address gets a receipt that fits it, not the time-report format")
    func declarationPDF() {
        let pdf = MailFacts.Attachment(filename: "支援実施申告書兼再発防止誓約書.pdf", kind: .pdf)
        let decision = MailRules.decide(Self.facts("申告書を送ります", at: Self.at("2019-08-26", "10:00"), attachments: [pdf]))
        #expect(decision.status == .review)
        #expect(decision.flags == [.declaration])
        #expect(decision.receipt?.message == ReceiptText.declaration())
        #expect(decision.receipt?.message.body.contains("±20分") == false)
    }

    @Test("AFT-1: a consent PDF from the registered address is a candidate for the fiscal year, with its own receipt")
    func consentPDF() {
        let pdf = MailFacts.Attachment(filename: "同意書.pdf", kind: .pdf)
        let decision = MailRules.decide(Self.facts("写真提出の同意書", at: Self.at("2020-03-31", "10:00"), attachments: [pdf]))
        #expect(decision.status == .review)
        #expect(decision.consent == ConsentChange(businessID: Self.basona.id, fiscalYear: FiscalYear(startYear: 2019)))
        #expect(decision.receipt?.message.subject == "【確認中】写真提出の同意書 2019年度")
    }

    @Test("DEC-6: an expert's and an institution's report are refused")
    func expertAndInstitutionRefused() {
        let expert = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:30"),
                                                 sender: .expert, address: "jiro@example.jp"))
        #expect(expert.status == .refused)
        #expect(expert.evidence.isEmpty)
        #expect(expert.receipt?.message == ReceiptText.refused(role: .expert))
        let institution = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:30"),
                                                      sender: .institution(id: UUID()), address: "yorozu@example.jp"))
        #expect(institution.status == .refused)
    }

    @Test("DEC-7: from an unknown address the subject must name one business only")
    func ambiguousStrangerStaysUnmatched() {
        let mine = Self.dispatch()
        var theirs = Self.dispatch(business: BusinessRef(id: UUID(), name: "ばそな建設"))
        theirs.id = UUID()
        let decision = MailRules.decide(Self.facts("ばそな建設/専門家次郎/8月21日 10:30", at: Self.at("2019-08-21", "10:30"),
                                                   sender: .unknownMobile, address: "x@docomo.ne.jp", candidates: [mine, theirs]))
        #expect(decision.status == .unmatched)
        #expect(decision.evidence.isEmpty)
    }
}
