import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

@Suite struct DispatchAPITests {
    @Test(arguments: TestDatabase.all)
    func createsPartiesAndADispatchAndReadsItsChecklist(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let created = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties))
            #expect(created.status == .created)
            #expect(created.headers.first(name: .location) == "/api/v1/dispatches/\(created.id.lowercased())")

            let shown = try await app.call(.GET, "api/v1/dispatches/\(created.id)")
            #expect(shown.status == .ok)
            #expect(shown["state"] as? String == "declarationRequired")   // the day has passed with no reports
            #expect(shown["paymentEligible"] as? Bool == false)
            #expect(shown["dateLabel"] as? String == "8月21日(水)")
            #expect(shown["fiscalYearEra"] as? String == "令和元年度")
            let evidence = try #require(shown["evidence"] as? [String: [String: Any]])
            #expect(Set(evidence.keys) == ["startReport", "endReport", "photo", "photoConsent", "declaration", "expertReport", "certification"])
            for (_, item) in evidence {
                #expect(item["status"] as? String == "missing")
            }
            #expect(evidence["declaration"]?["required"] as? Bool == true)
        }
    }

    @Test("NOTE-1: state follows the evidence until payable", arguments: TestDatabase.all)
    func testNOTE1_stateFollowsTheEvidenceUntilPayable(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let id = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties)).id
            let dispatchID = try #require(UUID(uuidString: id))
            let changes = [EvidenceKind.startReport, .endReport, .photo, .expertReport, .certification].map {
                EvidenceChange(dispatchID: dispatchID, kind: $0, status: .accepted, trust: .registered)
            }
            let received = Date(timeIntervalSince1970: 1_566_351_000)
            try await EvidenceWriter.record(changes, source: .init(actor: "test", receivedAt: received), on: app.db, key: app.haken.auditKey, now: received)
            var shown = try await app.call(.GET, "api/v1/dispatches/\(id)")
            #expect(shown["state"] as? String == "underReview")            // DAY-5: nobody has looked at the photo yet
            #expect(shown["outstanding"] as? [String] == ["photo", "photoConsent"])

            let checked = try await app.call(.POST, "api/v1/dispatches/\(id)/photo-check",
                                             json: ["decision": "accept", "confirmed": PhotoCheck.Point.allCases.map(\.rawValue)])
            #expect(checked["status"] as? String == "accepted")
            shown = try await app.call(.GET, "api/v1/dispatches/\(id)")
            #expect(shown["state"] as? String == "collecting")             // AFT-1: consent still missing
            #expect(shown["outstanding"] as? [String] == ["photoConsent"])

            try await PhotoConsentModel(businessID: UUID(uuidString: parties.business)!, fiscalYear: FiscalYear(startYear: 2019),
                                        status: .accepted, receivedAt: Date(), note: nil).create(on: app.db)
            shown = try await app.call(.GET, "api/v1/dispatches/\(id)")
            #expect(shown["state"] as? String == "complete")
            #expect(shown["paymentEligible"] as? Bool == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badInputNamesTheFieldAndNeverFails500(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            func post(_ changes: [String: Any?]) async throws -> JSONResponse {
                try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties).merging(changes) { $1 })
            }
            let cases: [([String: Any?], HTTPStatus, String, String)] = [
                (["date": nil], .unprocessableEntity, "date", "required"),
                (["date": "2019/08/21"], .unprocessableEntity, "date", "invalid_date"),
                (["date": "2019-02-30"], .unprocessableEntity, "date", "invalid_date"),
                (["start": "10時30分"], .unprocessableEntity, "start", "invalid_time"),
                (["end": "10:00"], .unprocessableEntity, "end", "end_not_after_start"),
                (["place": "  "], .unprocessableEntity, "place", "required"),
                (["businessId": UUID().uuidString], .unprocessableEntity, "businessId", "not_found"),
                (["expertId": "not-a-uuid"], .unprocessableEntity, "expertId", "invalid_id"),
                (["institutionId": UUID().uuidString], .unprocessableEntity, "institutionId", "not_found"),
            ]
            for (changes, status, field, code) in cases {
                let response = try await post(changes)
                #expect(response.status == status, "\(changes)")
                #expect(response.code == "validation_failed", "\(changes)")
                if !field.isEmpty {
                    #expect(response.field == field, "\(changes)")
                    let errors = response["errors"] as? [[String: Any]] ?? []
                    #expect(errors.first?["code"] as? String == code, "\(changes)")
                    #expect((errors.first?["message"] as? String)?.isEmpty == false)
                }
            }
            // Malformed JSON and a wrong type.
            let broken = try await app.call(.POST, "api/v1/dispatches", rawBody: "{not json")
            #expect(broken.status == .badRequest)
            let wrongType = try await app.call(.POST, "api/v1/experts", json: ["name": 42, "email": "x@example.jp"])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.field == "name")
            // Unknown dispatch.
            let unknown = try await app.call(.GET, "api/v1/dispatches/\(UUID().uuidString)")
            #expect(unknown.status == .notFound)
            #expect(unknown.code == "not_found")
        }
    }

    @Test(arguments: TestDatabase.all)
    func expertWhoIsTheBusinessItselfIsRefused(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let sameName = try await app.call(.POST, "api/v1/experts", json: ["name": "株式会社ばそな建設", "email": "other@example.jp"])
            var body = app.dispatchBody(parties)
            body["expertId"] = sameName.id
            let response = try await app.call(.POST, "api/v1/dispatches", json: body)
            #expect(response.status == .unprocessableEntity)
            #expect(response.field == "expertId")
            #expect(response.code == "validation_failed")
            // The business's own address cannot be registered as an expert's at all.
            let sameAddress = try await app.call(.POST, "api/v1/experts", json: ["name": "誰か", "email": "INFO@basona.example.jp"])
            #expect(sameAddress.status == .conflict)
            #expect(sameAddress.field == "email")
        }
    }

    @Test("REG-2: registered addresses are unique", arguments: TestDatabase.all)
    func testREG2_registeredAddressesAreUnique(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            _ = try await app.seedParties()
            let twin = try await app.call(.POST, "api/v1/businesses", json: ["name": "別会社", "contactName": "誰か", "email": "basona@DOCOMO.ne.jp"])
            #expect(twin.status == .conflict)
            #expect(twin.field == "email")
            let invalid = try await app.call(.POST, "api/v1/businesses", json: ["name": "新会社", "contactName": "誰か", "email": "a@b.jp",
                                                                             "corporateNumber": "8000012050002"])
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.field == "corporateNumber")
        }
    }

    @Test("CON-1: phone consultation needs a disaster measure", arguments: TestDatabase.all)
    func testCON1_phoneConsultationNeedsADisasterMeasure(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let base: [String: Any?] = ["institutionId": parties.institution, "businessId": parties.business, "date": "2019-08-01",
                                        "consultedPerson": "派遣 太郎", "photographed": true]
            let phone = try await app.call(.POST, "api/v1/consultations", json: base.merging(["mode": "phone"]) { $1 })
            #expect(phone.status == .unprocessableEntity)
            #expect(phone.field == "mode")
            let disaster = try await app.call(.POST, "api/v1/consultations",
                                              json: base.merging(["mode": "phone", "disasterMeasure": "令和元年東日本台風 特例"]) { $1 })
            #expect(disaster.status == .created)
            var body = app.dispatchBody(parties)
            body["consultationId"] = disaster.id
            #expect(try await app.call(.POST, "api/v1/dispatches", json: body).status == .created)
        }
    }

    /// Paging parameters a request controls: out of range or unreadable is a 400 naming the
    /// parameter; the offset can never overflow (these requests once stopped the process).
    @Test(arguments: TestDatabase.all)
    func pagingParametersAreCheckedNotTrusted(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            _ = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties))
            for (path, field) in [("api/v1/dispatches?per=200&page=46116860184273880", "page"),
                                  ("api/v1/mail?page=4611686018427387904&per=2", "page"),
                                  ("api/v1/dispatches?per=0", "per"), ("api/v1/dispatches?per=201", "per"),
                                  ("api/v1/mail?page=abc", "page"), ("api/v1/mail?per=-1", "per")] {
                let response = try await app.call(.GET, path)
                #expect(response.status == .badRequest, "\(path)")
                #expect(response["field"] as? String == field, "\(path)")
            }
            let last = try await app.call(.GET, "api/v1/dispatches?page=1000000&per=200")
            #expect(last.status == .ok)
            #expect((last["items"] as? [Any])?.isEmpty == true)
            #expect(try await app.call(.GET, "api/v1/dispatches?page=1&per=1").status == .ok)
        }
    }

    /// These dates once stopped the process (a force unwrap in the deadline's holiday rules)
    /// or were stored with labels like 令和982年度; DEC-13 refuses them with a Japanese message.
    @Test("DEC-13: dates outside the programme are refused", arguments: TestDatabase.all)
    func testDEC13_datesOutsideTheProgrammeAreRefused(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            for date in ["9999-12-20", "0001-01-01", "5000-06-01", "9999-06-01", "1500-01-01", "2150-01-01"] {
                let response = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties, date: date))
                #expect(response.status == .unprocessableEntity, "\(date)")
                #expect(response.field == "date", "\(date)")
                #expect((response["reason"] as? String)?.contains("年度（") == true, "\(date)")
            }
            #expect(try await DispatchModel.query(on: app.db).count() == 0)
            #expect(try await app.call(.GET, "healthz").status == .ok)
        }
    }

    /// CON-1: no dispatch without a consultation, nor with one held after the dispatch, nor
    /// with another institution's consultation; the same dispatch twice is one dispatch.
    @Test("CON-1: a dispatch rests on the institutions earlier consultation", arguments: TestDatabase.all)
    func testCON1_aDispatchRestsOnTheInstitutionsEarlierConsultation(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            var body = app.dispatchBody(parties)
            body["consultationId"] = nil
            var response = try await app.call(.POST, "api/v1/dispatches", json: body)
            #expect(response.status == .unprocessableEntity && response.field == "consultationId")

            let later = try await app.call(.POST, "api/v1/consultations", json: [
                "institutionId": parties.institution, "businessId": parties.business, "date": "2019-08-25", "consultedPerson": "派遣 太郎",
                "photographed": true])
            body = app.dispatchBody(parties)
            body["consultationId"] = later.id
            response = try await app.call(.POST, "api/v1/dispatches", json: body)
            #expect(response.status == .unprocessableEntity)
            #expect(response.field == "consultationId")
            #expect((response["errors"] as? [[String: Any]])?.first?["code"] as? String == "consultation_after_dispatch")

            // Another institution's consulted business cannot be filed for with this one's name.
            let other = try await app.call(.POST, "api/v1/institutions", json: ["name": "別の商工会", "kind": "商工会", "email": "other@example.jp"])
            let elsewhere = try await app.call(.POST, "api/v1/consultations", json: [
                "institutionId": other.id, "businessId": parties.business, "date": "2019-08-01", "consultedPerson": "派遣 太郎", "photographed": true])
            body = app.dispatchBody(parties)
            body["consultationId"] = elsewhere.id
            response = try await app.call(.POST, "api/v1/dispatches", json: body)
            #expect((response["errors"] as? [[String: Any]])?.first?["code"] as? String == "consultation_mismatch")

            #expect(try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties)).status == .created)
            let twice = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties))
            #expect(twice.status == .conflict)
            #expect((twice["errors"] as? [[String: Any]])?.first?["code"] as? String == "duplicate_dispatch")
            #expect(try await DispatchModel.query(on: app.db).count() == 1)
        }
    }

    /// REG-2 for every party: an institution may not take a business's, an expert's or another
    /// institution's address (compared without case), nor the other way round.
    @Test("REG-2: one address belongs to one party of any kind", arguments: TestDatabase.all)
    func testREG2_oneAddressBelongsToOnePartyOfAnyKind(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            _ = try await app.seedParties()
            for address in ["INFO@basona.example.jp", "basona@docomo.ne.jp", "Jiro@Example.jp", "yorozu@EXAMPLE.JP"] {
                let response = try await app.call(.POST, "api/v1/institutions", json: ["name": "新しい商工会", "kind": "商工会", "email": address])
                #expect(response.status == .conflict, "\(address)")
                #expect(response.field == "email")
            }
            let expert = try await app.call(.POST, "api/v1/experts", json: ["name": "専門家三郎", "email": "YOROZU@example.jp"])
            #expect(expert.status == .conflict)
            #expect(try await InstitutionModel.query(on: app.db).count() == 1)
        }
    }

    /// Names that would hide or reorder text, or that a report subject could never carry.
    @Test(arguments: TestDatabase.all)
    func controlAndBidiCharactersAndSlashesInNamesAreRefused(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            for name in ["ばそな\u{0}建設", "ばそな\r\n建設", "ばそな\u{7}建設", "\u{202E}設建なそば", "ばそな\u{2066}建設"] {
                let response = try await app.call(.POST, "api/v1/businesses", json: ["name": name, "contactName": "派遣 太郎", "email": "x@example.jp"])
                #expect(response.status == .unprocessableEntity, "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
                #expect(response.field == "name")
            }
            let slash = try await app.call(.POST, "api/v1/experts", json: ["name": "専門家/次郎", "email": "jiro2@example.jp"])
            #expect(slash.status == .unprocessableEntity && slash.field == "name")
            let fine = try await app.call(.POST, "api/v1/experts", json: ["name": "山田・佐藤", "email": "ys@example.jp"])
            #expect(fine.status == .created)
        }
    }
}
