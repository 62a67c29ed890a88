import Foundation
import Testing
@testable import HakenCore

/// The pure rules behind the people's pages: the one permission policy, login throttling,
/// the today page's mailto links, REG-1 stage 2's facts, the expert's report and AFT-2/AFT-3.
@Suite struct PeopleRulesTests {
    let business = UUID(), otherBusiness = UUID(), institution = UUID(), otherInstitution = UUID(), expert = UUID(), otherExpert = UUID()

    var parties: AccessPolicy.DispatchParties { .init(business: business, institution: institution, expert: expert) }

    @Test("Permission policy: each role reads its own dispatches only, the secretariat all")
    func policyReadsOwnDispatchesOnly() {
        let allowed: [AccessPolicy.Caller] = [.init(role: .secretariat, partyID: nil), .init(role: .business, partyID: business),
                                              .init(role: .institution, partyID: institution), .init(role: .expert, partyID: expert)]
        let refused: [AccessPolicy.Caller] = [.init(role: .business, partyID: otherBusiness), .init(role: .institution, partyID: otherInstitution),
                                              .init(role: .expert, partyID: otherExpert), .init(role: .business, partyID: nil),
                                              .init(role: .expert, partyID: business), .init(role: .institution, partyID: expert)]
        for caller in allowed { #expect(AccessPolicy.allows(caller, .read, .dispatch(parties)), "\(caller)") }
        for caller in refused { #expect(!AccessPolicy.allows(caller, .read, .dispatch(parties)), "\(caller)") }
    }

    @Test("AFT-2: only the assigned expert files the report; DAY-1: only the business reports on the day")
    func policyNarrowsActions() {
        #expect(AccessPolicy.allows(.init(role: .expert, partyID: expert), .fileExpertReport, .dispatch(parties)))
        for caller in [AccessPolicy.Caller(role: .expert, partyID: otherExpert), .init(role: .business, partyID: business),
                       .init(role: .institution, partyID: institution), .init(role: .secretariat, partyID: nil)] {
            #expect(!AccessPolicy.allows(caller, .fileExpertReport, .dispatch(parties)))
        }
        #expect(AccessPolicy.allows(.init(role: .business, partyID: business), .reportOnTheDay, .dispatch(parties)))
        #expect(!AccessPolicy.allows(.init(role: .expert, partyID: expert), .reportOnTheDay, .dispatch(parties)))
        #expect(!AccessPolicy.allows(.init(role: .institution, partyID: institution), .reportOnTheDay, .dispatch(parties)))
        #expect(!AccessPolicy.allows(.init(role: .business, partyID: business), .manage, .secretariatDesk))
        #expect(AccessPolicy.allows(.init(role: .secretariat, partyID: nil), .manage, .secretariatDesk))
    }

    @Test("CON-1: an institution reads a business it has consulted, not others")
    func policyBusinessesThroughConsultations() {
        let resource = AccessPolicy.Resource.business(business, consultedAt: [institution])
        #expect(AccessPolicy.allows(.init(role: .institution, partyID: institution), .read, resource))
        #expect(!AccessPolicy.allows(.init(role: .institution, partyID: otherInstitution), .read, resource))
        #expect(!AccessPolicy.allows(.init(role: .business, partyID: otherBusiness), .read, resource))
        #expect(!AccessPolicy.allows(.init(role: .institution, partyID: otherInstitution), .editProfile, resource))
    }

    @Test("Login throttling: five failures lock the account, twenty lock the client address")
    func loginThrottle() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let four = (1...4).map { now.addingTimeInterval(Double(-$0 * 60)) }
        #expect(LoginThrottle.verdict(accountFailures: four, clientFailures: four, now: now) == .allowed)
        let five = four + [now.addingTimeInterval(-600)]
        #expect(LoginThrottle.verdict(accountFailures: five, clientFailures: [], now: now) == .wait(until: now.addingTimeInterval(-600 + 900)))
        // Failures older than the window no longer count.
        let old = (1...10).map { now.addingTimeInterval(Double(-1000 - $0)) }
        #expect(LoginThrottle.verdict(accountFailures: old, clientFailures: old, now: now) == .allowed)
        let manyAccounts = (1...20).map { now.addingTimeInterval(Double(-$0 * 10)) }
        if case .wait = LoginThrottle.verdict(accountFailures: [], clientFailures: manyAccounts, now: now) {} else { Issue.record("client not throttled") }
        #expect(LoginThrottle.message(now.addingTimeInterval(61), now: now).contains("2分"))
    }

    @Test("DAY-1, DAY-6: the today page's subjects and RFC 6068 mailto links")
    func mailtoLinks() throws {
        let date = try #require(CivilDate(iso: "2019-08-21"))
        let subject = ReportMailLinks.timeSubject(business: "ばそな建設", expert: "専門家次郎", date: date, time: try #require(TimeOfDay(hhmm: "10:30")))
        #expect(subject == "ばそな建設/専門家次郎/8月21日 10:30")
        let schedule = DispatchSchedule(date: date, start: try #require(TimeOfDay(hhmm: "10:30")), end: try #require(TimeOfDay(hhmm: "15:00")), place: "本社")
        #expect(ReportMailLinks.photoSubject(business: "ばそな建設", expert: "専門家次郎", schedule: schedule) == "ばそな建設/専門家次郎/8月21日(水)10:30~15:00")
        let link = ReportMailLinks.mailto(to: "haken@example.jp", subject: "A B/あ:+&?")
        #expect(link == "mailto:haken@example.jp?subject=A%20B%2F%E3%81%82%3A%2B%26%3F")
        // The subject read back from the link is the subject (what a mail app does).
        let encoded = try #require(link.split(separator: "=", maxSplits: 1).last)
        #expect(String(encoded).removingPercentEncoding == "A B/あ:+&?")
    }

    @Test("DAY-1: the ±20-minute window as the today page counts it down")
    func reportWindow() throws {
        let day = try #require(CivilDate(iso: "2019-08-21"))
        let at = LocalDateTime(date: day, time: try #require(TimeOfDay(hhmm: "10:30")))
        func now(_ hhmm: String) throws -> LocalDateTime { LocalDateTime(date: day, time: try #require(TimeOfDay(hhmm: hhmm))) }
        #expect(ReportMailLinks.window(for: at, now: try now("10:00")) == .opensIn(minutes: 10))
        #expect(ReportMailLinks.window(for: at, now: try now("10:10")) == .open(closesIn: 40))
        #expect(ReportMailLinks.window(for: at, now: try now("10:50")) == .open(closesIn: 0))
        #expect(ReportMailLinks.window(for: at, now: try now("10:51")) == .closed(minutesAgo: 1))
    }

    @Test("REG-1: stage 2 requires the company facts and keeps each error beside its field")
    func businessDetailsStageTwo() throws {
        var input = BusinessProfile.Input(name: "ばそな建設", kanaName: "", corporateNumber: "", address: "", phone: "",
                                          contactName: "派遣 太郎", email: "info@basona.example.jp")
        input.postalCode = "12345"
        input.employees = "-3"
        do {
            _ = try BusinessProfile.validate(input, complete: true)
            Issue.record("should fail")
        } catch {
            #expect(Set(error.errors.map(\.field)) == ["representative", "postalCode", "industry", "employees", "kanaName", "address", "phone"])
        }
        input.kanaName = "バソナケンセツ"; input.address = "東京都千代田区丸の内1-1-1"; input.phone = "03-1234-5678"
        input.representative = "派遣 一郎"; input.postalCode = "１００－０００５"; input.industry = "D"; input.employees = "１，２００"; input.capital = "10,000,000"
        let profile = try BusinessProfile.validate(input, complete: true)
        #expect(profile.details == BusinessDetails(representative: "派遣 一郎", postalCode: "100-0005", industry: .construction,
                                                   employees: 1200, capitalYen: 10_000_000))
        // The API's create leaves them optional.
        #expect(try BusinessProfile.validate(BusinessProfile.Input(name: "x社", contactName: "x", email: "x@example.jp")).details == BusinessDetails())
        #expect(BusinessDetails.postalCode("〒100-0005") == "100-0005")
        #expect(BusinessDetails.postalCode("1000-005") == nil)
        #expect(BusinessDetails.postalCode("99999999999999999999") == nil)
    }

    @Test("AFT-2: the expert's report needs times in order, the work, and travel within range")
    func expertReport() throws {
        let report = try ExpertReport.validate(.init(actualStart: "10:30", actualEnd: "15:05", work: "資金繰りの改善", nextSteps: nil, travelExpenses: "１，２００"))
        #expect(report.travelExpensesYen == 1200)
        do {
            _ = try ExpertReport.validate(.init(actualStart: "15:00", actualEnd: "10:00", work: " ", nextSteps: nil, travelExpenses: "99999999999999999999999"))
            Issue.record("should fail")
        } catch {
            #expect(error.errors.map(\.field) == ["actualEnd", "work", "travelExpenses"])
        }
    }

    @Test("AFT-3: the certification waits for the expert's report and the photo")
    func certificationRefusals() {
        var evidence = EvidenceChecklist()
        #expect(Certification.refusal(evidence, cancelled: false) == .noExpertReport)
        evidence[.expertReport] = EvidenceItem(status: .accepted)
        #expect(Certification.refusal(evidence, cancelled: false) == .noPhoto)
        evidence[.photo] = EvidenceItem(status: .rejected)
        #expect(Certification.refusal(evidence, cancelled: false) == .noPhoto)
        evidence[.declaration] = EvidenceItem(status: .accepted)
        #expect(Certification.refusal(evidence, cancelled: false) == nil, "DAY-7: an accepted declaration stands in for the photo")
        evidence[.declaration] = .missing
        evidence[.photo] = EvidenceItem(status: .review)
        #expect(Certification.refusal(evidence, cancelled: false) == nil)
        evidence[.certification] = EvidenceItem(status: .accepted)
        #expect(Certification.refusal(evidence, cancelled: false) == .alreadyCertified)
        #expect(Certification.refusal(EvidenceChecklist(), cancelled: true) == .cancelled)
    }

    @Test("AFT-2: certification input: a dispute needs its reason, the rating is 1 to 5")
    func certificationInput() throws {
        #expect(try Certification.validate(.init(times: "confirm", disputeReason: nil, rating: "5", comment: nil)).times == .confirmed)
        #expect(try Certification.validate(.init(times: "dispute", disputeReason: "終了は14:00でした", rating: "3", comment: nil)).times
                == .disputed(reason: "終了は14:00でした"))
        do {
            _ = try Certification.validate(.init(times: "dispute", disputeReason: "", rating: "6", comment: nil))
            Issue.record("should fail")
        } catch {
            #expect(error.errors.map(\.field) == ["disputeReason", "rating"])
        }
    }
}

@Suite struct ExpertAndChangeRulesTests {
    @Test("Bank transfer names: full-width kana typed, half-width kana stored, anything else refused")
    func zenginKana() throws {
        #expect(ZenginKana.halfWidth("センモンカ　ジロウ") == "ｾﾝﾓﾝｶ ｼﾞﾛｳ")
        #expect(ZenginKana.halfWidth("ぱそな・ガッコウ") == "ﾊﾟｿﾅ.ｶﾞﾂｺｳ")
        #expect(ZenginKana.halfWidth("ｶ)ﾊﾞｿﾅ") == "ｶ)ﾊﾞｿﾅ")
        #expect(ZenginKana.isAccepted("ｾﾝﾓﾝｶ ｼﾞﾛｳ"))
        #expect(!ZenginKana.isAccepted("専門家次郎"))
        #expect(!ZenginKana.isAccepted("   "))
        let account = try BankAccount.validate(.init(bank: "みらい信用金庫", bankCode: "１２３４", branch: "本店", branchCode: "001", kind: "ordinary",
                                                     number: "12345", holderKana: "センモンカ ジロウ"))
        #expect(account.number == "0012345" && account.holderKana == "ｾﾝﾓﾝｶ ｼﾞﾛｳ" && account.bankCode == "1234")
        do {
            _ = try BankAccount.validate(.init(bank: "", bankCode: "12", branch: "本店", branchCode: "0001", kind: "x", number: "123456789", holderKana: "専門家"))
            Issue.record("should fail")
        } catch {
            #expect(error.errors.map(\.field) == ["bank", "bankCode", "branchCode", "kind", "number", "holderKana"])
        }
    }

    @Test("CON-4: the expert's specialties and region for the institution's search")
    func expertDetails() throws {
        let details = try ExpertDetails.validate(specialties: "財務・資金繰り、販路開拓,IT活用", region: "13", qualifications: "中小企業診断士")
        #expect(details.specialties == ["財務・資金繰り", "販路開拓", "IT活用"] && details.region == .p13 && details.region?.japaneseName == "東京都")
        #expect(throws: ValidationFailure.self) { try ExpertDetails.validate(specialties: "財務", region: "48", qualifications: nil) }
        #expect(Prefecture.allCases.count == 47 && Prefecture.p47.japaneseName == "沖縄県")
    }

    @Test("CON-5: a dispatch moves until its reports arrive or its day passes; it is cancelled until complete")
    func dispatchChanges() throws {
        let day = try #require(CivilDate(iso: "2019-08-21"))
        var facts = DispatchFacts(date: day)
        #expect(DispatchChange.rescheduleRefusal(facts, today: day) == nil)
        #expect(DispatchChange.rescheduleRefusal(facts, today: day.adding(days: 1)) == .dayPassed)
        facts.evidence[.startReport] = EvidenceItem(status: .review)
        #expect(DispatchChange.rescheduleRefusal(facts, today: day) == .reportsArrived)
        #expect(DispatchChange.cancelRefusal(facts, today: day) == nil)
        for kind in EvidenceKind.allCases where kind != .declaration { facts.evidence[kind] = EvidenceItem(status: .accepted) }
        #expect(DispatchChange.cancelRefusal(facts, today: day.adding(days: 1)) == .complete)
        facts.cancelled = true
        #expect(DispatchChange.rescheduleRefusal(facts, today: day) == .cancelled && DispatchChange.cancelRefusal(facts, today: day) == .cancelled)
    }
}
