import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The institution's and the expert's pages with the real database: recording a consultation
/// with its photo (CON-1, CON-2), choosing the expert (CON-4), rescheduling and cancelling
/// (CON-5), registering a business and sending its consent on its behalf (AFT-1), and the
/// business changing its mobile address (DAY-3, DEC-10).
@Suite struct InstitutionWebTests {
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0] + [UInt8](repeating: 0, count: 200) + [0xFF, 0xD9]

    /// Consultation photos in the blob store.
    static func storedPhotos(_ app: Application) throws -> Int {
        let root = app.haken.configuration.store.blobDirectory.appendingPathComponent("consultation")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?.allObjects as? [URL] ?? []
        return try files.filter { try $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true }.count
    }

    static func staff(_ app: Application, _ parties: SeededParties) async throws -> Browser {
        let browser = try await WebFixtures.signedIn(app, "staff@yorozu.example.jp", role: .institution, party: parties.institution)
        return browser
    }

    @Test("CON-1, CON-2, CON-4: the consultation with its photo, then the dispatch; an affiliated expert cannot be chosen", arguments: TestDatabase.all)
    func testCON2_CON4_consultationAndDispatch(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let staff = try await Self.staff(app, parties)
            try await staff.get("/consultations/new")
            let noPhoto = try await staff.postMultipart("/consultations/new", ["businessEmail": "info@basona.example.jp", "date": "2019-08-22",
                                                                               "mode": "in_person", "consultedPerson": "派遣 太郎", "theme": "資金繰り", "expertNeeded": "yes"],
                                                        file: (name: "photo", filename: "photo.jpg", bytes: Array("not an image".utf8)))
            #expect(noPhoto.status == .unprocessableEntity && noPhoto.fieldErrors["photo"] == "写真は JPEG・PNG・HEIC の画像ファイルを選んでください。",
                    "checked by content, not by the name .jpg")
            // CON-3: the institution decides; "no expert needed" records the consultation and files nothing.
            let noExpert = try await staff.postMultipart("/consultations/new", ["businessEmail": "info@basona.example.jp", "date": "2019-08-22", "mode": "in_person",
                                                                                "consultedPerson": "派遣 太郎", "theme": "事業計画の相談", "expertNeeded": "no"],
                                                         file: (name: "photo", filename: "p.jpg", bytes: Self.jpeg))
            #expect(noExpert.location == "/dispatches")
            let plain = try #require(try await ConsultationModel.query(on: app.db).filter(\.$theme == "事業計画の相談").first())
            #expect(plain.expertNeeded == false)
            #expect(try await staff.get("/consultations/\(try plain.requireID().uuidString.lowercased())/dispatch").status == .conflict)
            var body = app.dispatchBody(parties)
            body["consultationId"] = try plain.requireID().uuidString.lowercased()
            #expect(try await app.call(.POST, "api/v1/dispatches", json: body).code == "validation_failed", "the API refuses it too")
            let photosBefore = try Self.storedPhotos(app)
            let unknown = try await staff.postMultipart("/consultations/new", ["businessEmail": "nobody@example.jp", "date": "2019-08-22", "mode": "in_person",
                                                                               "consultedPerson": "派遣 太郎", "theme": "資金繰り", "expertNeeded": "yes"], file: (name: "photo", filename: "p.jpg", bytes: Self.jpeg))
            #expect(unknown.fieldErrors["businessEmail"]?.contains("見つかりません") == true)
            let phone = try await staff.postMultipart("/consultations/new", ["businessEmail": "info@basona.example.jp", "date": "2019-08-22", "mode": "online",
                                                                             "consultedPerson": "派遣 太郎", "theme": "資金繰り", "expertNeeded": "yes"], file: (name: "photo", filename: "p.jpg", bytes: Self.jpeg))
            #expect(phone.status == .unprocessableEntity && phone.fieldErrors["mode"] != nil, "CON-1: remote only under a named disaster measure")
            #expect(try Self.storedPhotos(app) == photosBefore, "a refused form leaves no photo behind")
            let recorded = try await staff.postMultipart("/consultations/new", ["businessEmail": "info@basona.example.jp", "date": "2019-08-22", "mode": "in_person",
                                                                                "consultedPerson": "派遣 太郎", "businessWish": "財務に詳しい方", "theme": "資金繰り", "expertNeeded": "yes"],
                                                         file: (name: "photo", filename: "IMG_0001.HEIC", bytes: Self.jpeg))
            let location = try #require(recorded.location)
            #expect(recorded.status == .seeOther && location.hasSuffix("/dispatch"))
            let consultation = try #require(try await ConsultationModel.query(on: app.db).filter(\.$businessWish == "財務に詳しい方").first())
            let photo = try #require(consultation.photoPath)
            #expect(photo.hasSuffix(".jpg"), "stored under the type its content shows")
            #expect(FileManager.default.fileExists(atPath: app.haken.configuration.store.blobDirectory.appendingPathComponent(photo).path))

            // CON-4: search by specialty and region; an expert affiliated with this institution is left out and refused.
            let other = try await app.call(.POST, "api/v1/experts", json: ["name": "山田一郎", "email": "yamada@example.jp"])
            for (id, specialties, region) in [(parties.expert, "財務・資金繰り", "13"), (other.id, "販路開拓", "27")] {
                let expert = try #require(try await ExpertModel.find(UUID(uuidString: id), on: app.db))
                expert.apply(try ExpertDetails.validate(specialties: specialties, region: region, qualifications: nil))
                try await expert.save(on: app.db)
            }
            let form = try await staff.get(location + "?specialty=財務&region=13")
            #expect(form.html.contains("専門家次郎") && !form.html.contains("山田一郎") && form.html.contains("財務に詳しい方"))
            try await ExpertAffiliationModel(expertID: UUID(uuidString: parties.expert)!, institutionID: UUID(uuidString: parties.institution)!,
                                             relation: "paid").create(on: app.db)
            let filtered = try await staff.get(location)
            #expect(!filtered.html.contains(">専門家次郎") && filtered.html.contains("1人は選べないため除いています"))
            let refused = try await staff.post(location, ["expertId": parties.expert, "date": "2019-08-28", "start": "10:00", "end": "12:00", "place": "本社"])
            #expect(refused.status == .unprocessableEntity && refused.fieldErrors["expertId"]?.contains("CON-4") == true)
            let api = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties, date: "2019-08-28"))
            #expect(api.status == .unprocessableEntity && api.field == "expertId", "the API refuses the same")
            let filed = try await staff.post(location, ["expertId": other.id, "date": "2019-08-28", "start": "10:00", "end": "12:00", "place": "本社"])
            #expect(filed.status == .seeOther && filed.location?.hasPrefix("/dispatches/") == true)
            // CON-5: the business and the expert are told.
            let notices = try await OutboxModel.query(on: app.db).filter(\.$kind == "dispatch-notice").all().map(\.recipient).sorted()
            #expect(notices == ["info@basona.example.jp", "yamada@example.jp"])
        }
    }

    @Test("CON-5: the institution reschedules and cancels with a reason; both parties are told", arguments: TestDatabase.all)
    func testCON5_rescheduleAndCancel(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let dispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties, date: "2019-08-30"))
            let staff = try await Self.staff(app, parties)
            let page = try await staff.get("/dispatches/\(dispatch.id)")
            #expect(page.html.contains("/dispatches/\(dispatch.id)/reschedule"))
            try await staff.get("/dispatches/\(dispatch.id)/reschedule")
            let noReason = try await staff.post("/dispatches/\(dispatch.id)/reschedule", ["date": "2019-09-02", "start": "13:00", "end": "15:00", "place": "工場"])
            #expect(noReason.fieldErrors["reason"] == "変更の理由を入力してください。")
            let past = try await staff.post("/dispatches/\(dispatch.id)/reschedule", ["date": "2019-08-20", "start": "13:00", "end": "15:00", "place": "工場", "reason": "x"])
            #expect(past.fieldErrors["date"] != nil)
            let moved = try await staff.post("/dispatches/\(dispatch.id)/reschedule", ["date": "2019-09-02", "start": "13:00", "end": "15:00", "place": "工場",
                                                                                    "reason": "専門家の都合"])
            #expect(moved.status == .seeOther)
            let model = try #require(try await DispatchModel.find(UUID(uuidString: dispatch.id), on: app.db))
            #expect(model.date == "2019-09-02" && model.startTime == "13:00" && model.place == "工場")
            let mails = try await OutboxModel.query(on: app.db).filter(\.$kind == "dispatch-notice").all().filter { $0.subject.contains("日程が変更") }
            #expect(mails.count == 2 && mails.allSatisfy { $0.body.contains("専門家の都合") && $0.body.contains("9月2日(月) 13:00〜15:00") })
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "dispatch.reschedule").count() == 1)

            // The business and the expert cannot move it.
            let business = try await WebFixtures.signedIn(app, "taro@basona.example.jp", role: .business, party: parties.business)
            #expect(try await business.get("/dispatches/\(dispatch.id)/reschedule").status == .forbidden)
            #expect(try await business.post("/dispatches/\(dispatch.id)/cancel", ["reason": "x"]).status == .forbidden)

            try await staff.get("/dispatches/\(dispatch.id)")
            #expect(try await staff.post("/dispatches/\(dispatch.id)/cancel", ["reason": ""]).location == "/dispatches/\(dispatch.id)")
            #expect(try await DispatchModel.find(UUID(uuidString: dispatch.id), on: app.db)?.cancelled == false, "no reason, no cancellation")
            #expect(try await staff.post("/dispatches/\(dispatch.id)/cancel", ["reason": "事業者の都合で中止"]).status == .seeOther)
            let shown = try await business.get("/dispatches/\(dispatch.id)")
            #expect(shown.html.contains("取消") && shown.html.contains("事業者の都合で中止"))
            #expect(try await staff.get("/dispatches/\(dispatch.id)/reschedule").status == .conflict)
        }
    }

    @Test("AFT-1, REG-2: the institution registers a business and sends its consent; the person later signs up and gets it", arguments: TestDatabase.all)
    func testAFT1_onBehalfOfTheBusiness(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let staff = try await Self.staff(app, parties)
            try await staff.get("/businesses/new")
            let taken = try await staff.post("/businesses/new", ["name": "日の出工業", "contactName": "田中 一郎", "email": "jiro@example.jp"])
            #expect(taken.status == .conflict && taken.fieldErrors["email"]?.contains("既に") == true, "REG-2: the expert's address is taken")
            let made = try await staff.post("/businesses/new", ["name": "日の出工業", "contactName": "田中 一郎", "email": "tanaka@hinode.example.jp"])
            #expect(made.location == "/consultations/new?businessEmail=tanaka@hinode.example.jp")
            #expect(try await staff.get(made.location ?? "").html.contains(#"value="tanaka@hinode.example.jp""#))
            let business = try #require(try await BusinessModel.query(on: app.db).filter(\.$name == "日の出工業").first())
            let businessID = try business.requireID().uuidString.lowercased()

            // Not consulted here yet: the institution may not act for it.
            #expect(try await staff.get("/businesses/\(businessID)/consent").status == .forbidden)
            try await staff.get("/consultations/new")
            try await staff.postMultipart("/consultations/new", ["businessEmail": "tanaka@hinode.example.jp", "date": "2019-08-22", "mode": "in_person",
                                                                 "consultedPerson": "田中 一郎", "theme": "販路開拓", "expertNeeded": "yes"], file: (name: "photo", filename: "p.jpg", bytes: Self.jpeg))
            try await staff.get("/businesses/\(businessID)/consent")
            let notPDF = try await staff.postMultipart("/businesses/\(businessID)/consent", [:], file: (name: "scan", filename: "consent.pdf", bytes: Array("hello".utf8)))
            #expect(notPDF.fieldErrors["scan"]?.contains("PDF") == true)
            let sent = try await staff.postMultipart("/businesses/\(businessID)/consent", [:],
                                                     file: (name: "scan", filename: "同意書.pdf", bytes: Array("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n".utf8)))
            #expect(sent.status == .seeOther)
            let consent = try #require(try await PhotoConsentModel.query(on: app.db).filter(\.$business.$id == business.requireID()).first())
            #expect(consent.status == "review" && consent.source == "institution" && consent.filePath?.hasSuffix(".pdf") == true && consent.fiscalYear == 2019)

            // Only the secretariat sees the scan and decides (AFT-1).
            let consentID = try consent.requireID().uuidString.lowercased()
            #expect(try await staff.get("/desk/consents").status == .forbidden)
            #expect(try await staff.get("/desk/consents/\(consentID)/file").status == .forbidden)
            let desk = try await WebFixtures.signedIn(app, "desk@example.jp", role: .secretariat, party: nil)
            let register = try await desk.get("/desk/consents")
            #expect(register.html.contains("日の出工業") && register.html.contains("支援機関から"))
            let scan = try await desk.get("/desk/consents/\(consentID)/file")
            #expect(scan.status == .ok && scan.headers.contentType == .pdf && scan.html.hasPrefix("%PDF-"))
            #expect(try await desk.post("/desk/consents/\(consentID)", ["decision": "reject", "reason": ""]).location == "/desk/consents")
            #expect(try await PhotoConsentModel.find(consent.id, on: app.db)?.status == "review", "no reason, no rejection")
            try await desk.post("/desk/consents/\(consentID)", ["decision": "accept"])
            #expect(try await PhotoConsentModel.find(consent.id, on: app.db)?.status == "accepted")
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action == "consent.accept").count() == 1)

            // The person in charge signs up with the registered address and gets the business (REG-2).
            let person = Browser(app)
            try await person.get("/signup")
            try await person.post("/signup", ["email": "tanaka@hinode.example.jp", "password": WebFixtures.password, "passwordConfirmation": WebFixtures.password])
            let link = try #require(try await WebFixtures.mailedLink(app, to: "tanaka@hinode.example.jp", prefix: "/signup/verify/"))
            try await person.get(link)
            #expect(try await person.post(link, [:]).location == "/dispatches")
            let page = try await person.get("/business/details")
            #expect(page.html.contains("日の出工業") && page.html.contains("受理"), "its consent shows as accepted")
        }
    }

    @Test("DAY-3, DEC-10: the business changes its mobile address; the new one waits for its link", arguments: TestDatabase.all)
    func testDEC10_mobileChange(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let business = try await WebFixtures.signedIn(app, "taro@basona.example.jp", role: .business, party: parties.business)
            try await business.get("/business/details")
            let taken = try await business.post("/business/mobile", ["mobileEmail": "jiro@example.jp"])
            #expect(taken.status == .conflict && taken.fieldErrors["mobileEmail"] != nil)
            #expect(try await business.post("/business/mobile", ["mobileEmail": "taro.new@au.com"]).status == .seeOther)
            let model = try #require(try await BusinessModel.find(UUID(uuidString: parties.business), on: app.db))
            #expect(model.mobileEmail == "taro.new@au.com" && model.mobileVerifiedAt == nil)
            #expect(try await WebFixtures.mailedLink(app, to: "taro.new@au.com", prefix: "/mobile/verify/") != nil)
            // The old address is free again; the new one is this business's.
            let other = try await app.call(.POST, "api/v1/businesses", json: ["name": "さくら製菓", "contactName": "桜", "email": "basona@docomo.ne.jp"])
            #expect(other.status == .created)
            let clash = try await app.call(.POST, "api/v1/businesses", json: ["name": "みどり", "contactName": "緑", "email": "taro.new@au.com"])
            #expect(clash.status == .conflict)
        }
    }

    @Test("CON-4: the expert's profile (specialties, region, affiliations) and the bank account in half-width kana", arguments: TestDatabase.all)
    func expertProfile(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let expert = try await WebFixtures.signedIn(app, "jiro-login@example.jp", role: .expert, party: parties.expert)
            try await expert.get("/expert/profile")
            let bad = try await expert.post("/expert/profile", ["specialties": "財務", "region": "13", "bank": "みらい信用金庫", "bankCode": "12",
                                                                 "branch": "本店", "branchCode": "001", "kind": "ordinary", "number": "1234567", "holderKana": "専門家"])
            #expect(bad.fieldErrors["bankCode"] != nil && bad.fieldErrors["holderKana"] != nil)
            let saved = try await expert.post("/expert/profile", ["specialties": "財務・資金繰り、事業承継", "region": "13", "qualifications": "中小企業診断士",
                                                                   "bank": "みらい信用金庫", "bankCode": "1234", "branch": "本店", "branchCode": "001",
                                                                   "kind": "ordinary", "number": "123", "holderKana": "センモンカ　ジロウ"])
            #expect(saved.status == .seeOther)
            let model = try #require(try await ExpertModel.find(UUID(uuidString: parties.expert), on: app.db))
            #expect(model.holderKana == "ｾﾝﾓﾝｶ ｼﾞﾛｳ" && model.accountNumber == "0000123" && model.specialties == "財務・資金繰り、事業承継")
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "expert.profile").first())
            #expect(!entry.details.contains("0000123"), "the account number stays out of the log")
            try await expert.get("/expert/profile")
            #expect(try await expert.post("/expert/affiliations", ["institution": parties.institution, "relation": "member"]).status == .seeOther)
            #expect(try await ExpertAffiliationModel.query(on: app.db).count() == 1)
            // Others cannot edit it.
            let business = try await WebFixtures.signedIn(app, "taro@basona.example.jp", role: .business, party: parties.business)
            #expect(try await business.get("/expert/profile").status == .forbidden)
        }
    }
}
