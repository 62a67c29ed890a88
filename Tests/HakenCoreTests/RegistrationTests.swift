import Foundation
import Testing
@testable import HakenCore

@Suite struct RegistrationTests {
    static let period = ProgrammePeriod.standard(today: CivilDate(iso: "2019-08-01")!)

    @Test func corporateNumberCheckDigit() throws {
        // 国税庁's own number, and a number with full-width digits and hyphens.
        #expect(try CorporateNumber.parse("7000012050002").get().digits == "7000012050002")
        #expect(try CorporateNumber.parse("７-０００-０１２０５-０００２").get().digits == "7000012050002")
        #expect(CorporateNumber.parse("8000012050002") == .failure(.wrongCheckDigit(expected: 7)))
        #expect(CorporateNumber.parse("700001205000") == .failure(.notThirteenDigits))
        #expect(CorporateNumber.parse("70000120500a2") == .failure(.notThirteenDigits))
    }

    @Test("REG-1: business details are validated field by field") func testREG1_businessDetailsAreValidatedFieldByField() {
        let input = BusinessProfile.Input(name: "", kanaName: "ばそな", corporateNumber: "1234567890123",
                                          phone: "abc", contactName: " ", email: "not-an-address", mobileEmail: "x@")
        #expect(throws: ValidationFailure.self) { try BusinessProfile.validate(input) }
        do {
            _ = try BusinessProfile.validate(input)
        } catch {
            let fields = error.errors.map(\.field)
            #expect(fields == ["name", "corporateNumber", "phone", "contactName", "email", "mobileEmail"])
            #expect(error.errors.allSatisfy { !$0.message.isEmpty })
        }
    }

    @Test("REG-2: registered address is the reporting address") func testREG2_registeredAddressIsTheReportingAddress() throws {
        let profile = try BusinessProfile.validate(.init(name: "ばそな建設", kanaName: "バソナケンセツ", corporateNumber: "7000012050002",
                                                         phone: "03-1234-5678", contactName: "派遣 花子",
                                                         email: "Info@Basona.Example.JP", mobileEmail: "hanako@docomo.ne.jp"))
        #expect(profile.registeredEmail.address == "Info@basona.example.jp")
        #expect(profile.reportingAddresses.map(\.matchKey) == ["info@basona.example.jp", "hanako@docomo.ne.jp"])
    }

    @Test func businessNameMayNotContainTheSubjectSeparator() {
        #expect(throws: ValidationFailure.self) {
            try BusinessProfile.validate(.init(name: "A/B商店", contactName: "a", email: "a@example.jp"))
        }
    }

    @Test func emailAddressesKeepLegacyDocomoLocalParts() {
        #expect(EmailAddress("a..b.@DoCoMo.ne.jp")?.address == "a..b.@docomo.ne.jp")
        #expect(EmailAddress("no-at-sign") == nil)
        #expect(EmailAddress("a@b") == nil)
        #expect(EmailAddress("a b@example.jp") == nil)
    }

    @Test("CON-1: remote consultation only under a disaster measure") func testCON1_remoteConsultationOnlyUnderADisasterMeasure() throws {
        #expect(throws: ValidationFailure.self) {
            try Consultation.validate(.init(date: "2019-08-01", mode: "phone", consultedPerson: "派遣 花子", photographed: true), period: Self.period)
        }
        let remote = try Consultation.validate(.init(date: "2019-08-01", mode: "phone", disasterMeasure: "令和元年台風第19号特例",
                                                     consultedPerson: "派遣 花子", photographed: true), period: Self.period)
        #expect(remote.mode == .remote(disasterMeasure: "令和元年台風第19号特例"))
        let inPerson = try Consultation.validate(.init(date: "2019-08-01", mode: "対面", consultedPerson: "派遣 花子", photographed: true), period: Self.period)
        #expect(inPerson.mode == .inPerson)
    }

    @Test("CON-2: consulted person and photo are recorded") func testCON2_consultedPersonAndPhotoAreRecorded() {
        do {
            _ = try Consultation.validate(.init(date: "2019-08-01", mode: "in_person", consultedPerson: "", photographed: false), period: Self.period)
            Issue.record("should fail")
        } catch {
            #expect(error.errors.map(\.field) == ["consultedPerson", "photographed"])
        }
    }

    @Test("CON-3, CON-4: only the institution files and chooses the expert") func testCON3_CON4_onlyTheInstitutionFilesAndChoosesTheExpert() {
        let i1 = UUID(), i2 = UUID(), business = UUID()
        let consultation = AccessPolicy.Resource.consultation(institution: i1, business: business)
        #expect(AccessPolicy.allows(.init(role: .institution, partyID: i1), .fileDispatch, consultation))
        #expect(!AccessPolicy.allows(.init(role: .institution, partyID: i2), .fileDispatch, consultation))
        #expect(!AccessPolicy.allows(.init(role: .business, partyID: business), .fileDispatch, consultation))
        #expect(!AccessPolicy.allows(.init(role: .expert, partyID: UUID()), .fileDispatch, consultation))
        #expect(AccessPolicy.allows(.init(role: .secretariat, partyID: nil), .fileDispatch, consultation))
    }

    @Test("CON-5: schedule needs date start end and place") func testCON5_scheduleNeedsDateStartEndAndPlace() {
        var check = FieldChecker()
        let schedule = DispatchSchedule.validate(.init(date: "2019-08-21", start: "10:30", end: "15:00", place: "本社会議室"), period: Self.period, into: &check)
        #expect(check.errors.isEmpty)
        #expect(schedule?.subjectPeriod == "8月21日(水)10:30~15:00")

        var bad = FieldChecker()
        #expect(DispatchSchedule.validate(.init(date: "2019-02-30", start: "15:00", end: "10:30", place: nil), period: Self.period, into: &bad) == nil)
        #expect(bad.errors.map(\.code) == ["invalid_date", "required", "end_not_after_start"])
    }

    @Test func expertMayNotBeTheBusinessItself() throws {
        let business = try BusinessProfile.validate(.init(name: "ばそな建設", contactName: "派遣 花子", email: "info@basona.example.jp"))
        #expect(DispatchFiling.expertIsTheBusiness(expertEmail: EmailAddress("INFO@basona.example.jp")!, expertName: "専門家次郎", business: business))
        #expect(DispatchFiling.expertIsTheBusiness(expertEmail: EmailAddress("x@example.jp")!, expertName: "株式会社ばそな建設", business: business))
        #expect(!DispatchFiling.expertIsTheBusiness(expertEmail: EmailAddress("jiro@example.jp")!, expertName: "専門家次郎", business: business))
    }

    @Test("DEC-13: dates outside the programme's fiscal years are refused with a Japanese message")
    func datesOutsideTheProgrammeAreRefused() {
        let period = ProgrammePeriod.standard(today: CivilDate(iso: "2026-11-30")!)
        #expect(period.first == FiscalYear(startYear: 2019) && period.last == FiscalYear(startYear: 2027))
        for date in ["9999-12-20", "0001-01-01", "5000-06-01", "9999-06-01", "1500-01-01", "2150-01-01", "2019-03-31", "2028-04-01"] {
            var check = FieldChecker()
            #expect(DispatchSchedule.validate(.init(date: date, start: "10:30", end: "15:00", place: "本社"), period: period, into: &check) == nil, "\(date)")
            #expect(check.errors.map(\.code) == ["outside_programme"], "\(date)")
            #expect(check.errors.first?.message == "支援日は2019年度（2019年4月1日）から2027年度（2028年3月31日）までの日付で入力してください。")
        }
        for date in ["2019-04-01", "2028-03-31"] {
            var check = FieldChecker()
            #expect(DispatchSchedule.validate(.init(date: date, start: "10:30", end: "15:00", place: "本社"), period: period, into: &check) != nil)
        }
        #expect(throws: ValidationFailure.self) {
            try Consultation.validate(.init(date: "1500-01-01", mode: "対面", consultedPerson: "派遣 花子", photographed: true), period: period)
        }
        var check = FieldChecker()
        #expect(check.date("0000-01-01", field: "date", label: "支援日") == nil)   // year 0 does not exist
        #expect(check.errors.map(\.code) == ["invalid_date"])
    }
}
