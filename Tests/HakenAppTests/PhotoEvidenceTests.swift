import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenImage
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// #12: when and where a photo was taken, and whether it was used before — read on intake from
/// real photographs with EXIF written by piexif (Tests/HakenAppTests/Photos, scripts/make_photo_fixtures.py).
@Suite struct PhotoEvidenceTests {
    typealias Mail = MailIntakeTests

    static func photo(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Photos/" + name, withExtension: nil))
        return [UInt8](try Data(contentsOf: url))
    }

    /// imagehash.phash of each fixture, as Pillow decodes it.
    static func expectedHashes() throws -> [String: String] {
        let text = String(decoding: try photo("expected.txt"), as: UTF8.self)
        return Dictionary(uniqueKeysWithValues: text.split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            return (String(parts[0]), String(parts[1]))
        })
    }

    /// A photo report for the dispatch of `day` (8月21日 or 8月22日), mailed by the business.
    static func photoMail(_ name: String, day: Int = 21, bytes: [UInt8]) -> String {
        let subject = "ばそな建設/専門家次郎/8月\(day)日 10:30"
        let type = name.hasSuffix(".heic") ? "image/heic" : "image/jpeg"
        return ["From: info@basona.example.jp", "To: senmonka-haken@localhost",
                "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=", "Message-ID: <\(name)-\(day)@test>", "MIME-Version: 1.0",
                "Content-Type: multipart/mixed; boundary=\"b\"", "", "--b", "Content-Type: text/plain; charset=UTF-8", "", "写真です", "--b",
                "Content-Type: \(type)", "Content-Disposition: attachment; filename=\"\(name)\"", "Content-Transfer-Encoding: base64", "",
                Data(bytes).base64EncodedString(options: .lineLength76Characters), "--b--", ""].joined(separator: "\r\n")
    }

    func discrepancies(_ app: Application) async throws -> [[String: Any]] {
        try await DeskTests().array(app, "api/v1/desk/discrepancies").items
    }

    @Test("#12: EXIF (time, offset, GPS, camera) and imagehash.phash read from JPEG and HEIC, bit for bit")
    func factsOfTheFixtures() throws {
        let hashes = try Self.expectedHashes()
        for (name, hash) in hashes {
            let facts = PhotoInspector.facts(try Self.photo(name))
            #expect(facts.perceptualHash.map(PerceptualHash.hex) == hash, "\(name)")
            #expect(facts.sha256.count == 64)
        }
        let before = PhotoInspector.facts(try Self.photo("taken-0820.jpg"))
        #expect(before.takenAt?.description == "2019-08-20 14:05")
        #expect(before.offsetMinutes == 540)
        #expect(before.position == "35.68124, 139.76712")
        #expect(before.camera == "Apple iPhone 8")
        let utc = PhotoInspector.facts(try Self.photo("on-time-utc.heic"))
        #expect(utc.takenAt?.description == "2019-08-21 02:20")
        #expect(utc.takenInTokyo?.description == "2019-08-21 11:20")
        #expect(utc.camera == "Apple iPhone 15 Pro")
        #expect(utc.position == nil)
        let stripped = PhotoInspector.facts(try Self.photo("taken-0820-resent.jpg"))
        #expect(!stripped.hasEXIF && stripped.takenAt == nil)
        // The same picture recompressed: a different file, the same hash.
        #expect(stripped.sha256 != before.sha256)
        #expect(PerceptualHash.distance(try #require(stripped.perceptualHash), try #require(before.perceptualHash)) <= PhotoChecks.defaultHashDistance)
        // Not a photo, or broken: facts without a hash, never a crash.
        #expect(PhotoInspector.facts([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 1, 2]).perceptualHash == nil)
        #expect(PhotoInspector.facts(Array(try Self.photo("on-time-utc.heic").prefix(300))).perceptualHash == nil)
        #expect(PhotoInspector.facts([]).hasEXIF == false)
    }

    @Test("#12: honest photos (JPEG in Tokyo time, HEIC in UTC) are not flagged; their facts are on the desk's photo screen",
          arguments: TestDatabase.all)
    func honestPhotosAreNotFlagged(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Self.photoMail("on-time.jpg", bytes: try Self.photo("on-time.jpg")), at: Mail.on21("11:25"))
            #expect(try await world.evidence("photo")["status"] as? String != "missing")
            #expect(try await discrepancies(app).isEmpty)
            let desk = try await WebFixtures.signedIn(app, "photo@secretariat.example.jp", role: .secretariat, party: nil)
            let page = try await desk.send(.GET, "/desk/photos/\(world.dispatch)", body: nil, contentType: nil, accept: "text/html")
            #expect(page.status == .ok)
            #expect(page.html.contains("8月21日(水) 11:20（UTC+9:00）"))
            #expect(page.html.contains("Apple iPhone 8"))
            #expect(!page.html.contains("同じ写真が別の記録にあります"))
        }
        try await Mail().withWorld(database) { world in
            _ = try await world.send(Self.photoMail("on-time-utc.heic", bytes: try Self.photo("on-time-utc.heic")), at: Mail.on21("11:25"))
            #expect(try await discrepancies(world.app).isEmpty, "02:20 UTC is 11:20 in Tokyo, during the support")
        }
    }

    @Test("#12: a photo taken the day before, or in the evening, is flagged with its EXIF time; GPS only on the desk",
          arguments: TestDatabase.all)
    func photoTakenAtAnotherTimeIsFlagged(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            _ = try await world.send(Self.photoMail("taken-0820.jpg", bytes: try Self.photo("taken-0820.jpg")), at: Mail.on21("14:00"))
            let found = try await discrepancies(app)
            #expect(found.map { $0["kind"] as? String } == ["photoTaken"])
            #expect((found.first?["reason"] as? String)?.contains("8月20日(火) 14:05") == true)
            let entry = try #require(try await AuditEntryModel.query(on: app.db).filter(\.$action == "mail.process").all().last)
            #expect(entry.details.contains("2019-08-20T14:05 offset 540min") && entry.details.contains("b15fe6465121175e"), "\(entry.details)")
            let desk = try await WebFixtures.signedIn(app, "gps@secretariat.example.jp", role: .secretariat, party: nil)
            let page = try await desk.send(.GET, "/desk/photos/\(world.dispatch)", body: nil, contentType: nil, accept: "text/html")
            #expect(page.html.contains("35.68124, 139.76712"))
            // The parties' own view of the dispatch carries no position.
            let business = try await WebFixtures.signedIn(app, "gps@basona.example.jp", role: .business, party: world.parties.business)
            let theirs = try await business.send(.GET, "/dispatches/\(world.dispatch)", body: nil, contentType: nil, accept: "text/html")
            #expect(theirs.status == .ok)
            #expect(!theirs.html.contains("35.68124"))
            #expect(try await business.send(.GET, "/desk/photos/\(world.dispatch)/file", body: nil, contentType: nil, accept: "image/*").status == .forbidden)
        }
        try await Mail().withWorld(database) { world in
            _ = try await world.send(Self.photoMail("evening.jpg", bytes: try Self.photo("evening.jpg")), at: Mail.on21("15:05"))
            let found = try await discrepancies(world.app)
            #expect(found.map { $0["kind"] as? String } == ["photoTaken"])
            #expect((found.first?["reason"] as? String)?.contains("270分外れています") == true)
        }
    }

    @Test("#12: the same picture sent for another dispatch is flagged and shown side by side; a business resending its own is not",
          arguments: TestDatabase.all)
    func reusedPhotoIsFlagged(database: TestDatabase) async throws {
        try await Mail().withWorld(database) { world in
            let app = world.app
            let second = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(world.parties, date: "2019-08-22")).id
            _ = try await world.send(Self.photoMail("on-time.jpg", bytes: try Self.photo("on-time.jpg")), at: Mail.on21("11:25"))
            // Sent again for the same dispatch: not a reuse.
            _ = try await world.send(Self.photoMail("on-time.jpg", bytes: try Self.photo("on-time.jpg")), at: Mail.on21("11:40"))
            #expect(try await discrepancies(app).isEmpty)
            // The next day's dispatch gets yesterday's photo, byte for byte.
            let nextDay = Mail.on21("11:25").addingTimeInterval(86_400)
            _ = try await world.send(Self.photoMail("on-time.jpg", day: 22, bytes: try Self.photo("on-time.jpg")), at: nextDay)
            var found = try await discrepancies(app)
            #expect(found.map { $0["kind"] as? String }.contains("photoReused"))
            #expect(found.contains { ($0["reason"] as? String)?.contains("同一のファイルです") == true && $0["dispatchId"] as? String == second })

            // A resized, recompressed copy without EXIF of another dispatch's photo: near, not identical.
            let third = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(world.parties, date: "2019-08-23")).id
            let fourth = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(world.parties, date: "2019-08-24")).id
            _ = try await world.send(Self.photoMail("taken-0820.jpg", day: 23, bytes: try Self.photo("taken-0820.jpg")),
                                     at: Mail.on21("11:25").addingTimeInterval(2 * 86_400))
            _ = try await world.send(Self.photoMail("taken-0820-resent.jpg", day: 24, bytes: try Self.photo("taken-0820-resent.jpg")),
                                     at: Mail.on21("11:25").addingTimeInterval(3 * 86_400))
            found = try await discrepancies(app)
            #expect(found.contains { ($0["reason"] as? String)?.contains("よく似ています（違い 0/64ビット）") == true && $0["dispatchId"] as? String == fourth },
                    "\(found.map { $0["reason"] ?? "" })")
            #expect(found.contains { $0["kind"] as? String == "photoTaken" && $0["dispatchId"] as? String == third })

            let desk = try await WebFixtures.signedIn(app, "pair@secretariat.example.jp", role: .secretariat, party: nil)
            let page = try await desk.send(.GET, "/desk/photos/\(second)", body: nil, contentType: nil, accept: "text/html")
            #expect(page.html.contains("同じ写真が別の記録にあります"))
            #expect(page.html.contains("同一のファイル"))
            let image = try #require(page.html.range(of: "/desk/photos/\(second)/similar/[0-9a-f-]+", options: .regularExpression))
            let other = try await desk.send(.GET, String(page.html[image]), body: nil, contentType: nil, accept: "image/*")
            #expect(other.status == .ok)
            #expect(other.headers.contentType == .jpeg)
            let list = try await desk.send(.GET, "/desk/discrepancies", body: nil, contentType: nil, accept: "text/html")
            #expect(list.html.contains("写真を並べて確認する"))
        }
    }

    @Test("#12, CON-2: a consultation photo that is another consultation's picture is flagged on the dispatch filed from it",
          arguments: TestDatabase.all)
    func reusedConsultationPhotoIsFlagged(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let staff = try await InstitutionWebTests.staff(app, parties)
            let picture = try Self.photo("on-time.jpg")
            try await staff.get("/consultations/new")
            for (theme, needed) in [("事業計画の相談", "no"), ("資金繰り", "yes")] {
                let made = try await staff.postMultipart("/consultations/new", ["businessEmail": "info@basona.example.jp", "date": "2019-08-22",
                                                                                "mode": "in_person", "consultedPerson": "派遣 太郎", "theme": theme,
                                                                                "expertNeeded": needed],
                                                         file: (name: "photo", filename: "IMG_0001.JPG", bytes: picture))
                #expect(made.status == .seeOther)
                if needed == "yes" {
                    let location = try #require(made.location)
                    let filed = try await staff.post(location, ["expertId": parties.expert, "date": "2019-08-28", "start": "10:00", "end": "12:00",
                                                                "place": "本社"])
                    let dispatch = try #require(filed.location?.split(separator: "/").last.map(String.init))
                    let found = try await discrepancies(app)
                    #expect(found.map { $0["kind"] as? String } == ["photoReused"])
                    #expect(found.first?["dispatchId"] as? String == dispatch)
                    #expect((found.first?["reason"] as? String)?.hasPrefix("経営相談の写真は、別の経営相談の写真（ばそな建設・8月22日(木)）と同一のファイルです") == true,
                            "\(found)")
                    // The photo screen shows the pair before any support photo has arrived, and offers no check.
                    let desk = try await WebFixtures.signedIn(app, "consult@secretariat.example.jp", role: .secretariat, party: nil)
                    let page = try await desk.send(.GET, "/desk/photos/\(dispatch)", body: nil, contentType: nil, accept: "text/html")
                    #expect(page.status == .ok)
                    #expect(page.html.contains("支援状況写真はまだ届いていません") && page.html.contains("この派遣の経営相談の写真"))
                    #expect(!page.html.contains("受理する"))
                    let check = try await app.call(.POST, "api/v1/dispatches/\(dispatch)/photo-check", json: ["decision": "accept", "confirmed": [String]()])
                    #expect(check.status == .conflict && check.code == "no_photo")
                }
            }
        }
    }
}
