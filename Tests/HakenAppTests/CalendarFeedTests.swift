import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// #13: the private calendar feeds, issued from the dispatch list and followed through a
/// reschedule, a cancellation and a rotation of the URL.
@Suite struct CalendarFeedTests {
    static func feedURL(_ page: WebPage) throws -> String {
        let start = try #require(page.html.range(of: "/calendar/"))
        let end = try #require(page.html[start.lowerBound...].range(of: ".ics"))
        return String(page.html[start.lowerBound..<end.upperBound])
    }

    @Test("CON-5, #13: a feed per party; a reschedule raises SEQUENCE, a cancellation stays as CANCELLED, a rotated URL stops answering",
          arguments: TestDatabase.all)
    func feedFollowsTheDispatch(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let parties = try await app.seedParties()
            let dispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(parties, date: "2019-09-10")).id
            // Another institution's dispatch with another business: never in these feeds.
            let institution2 = try await app.call(.POST, "api/v1/institutions", json: ["name": "大手町商工会議所", "kind": "商工会議所", "email": "cci@example.jp"])
            let business2 = try await app.call(.POST, "api/v1/businesses", json: ["name": "さくら製菓", "contactName": "桜 花子", "email": "info@sakura.example.jp"])
            let consultation2 = try await app.call(.POST, "api/v1/consultations", json: [
                "institutionId": institution2.id, "businessId": business2.id, "date": "2019-08-01", "mode": "対面", "consultedPerson": "桜 花子", "photographed": true])
            let others = SeededParties(institution: institution2.id, expert: parties.expert, business: business2.id, consultation: consultation2.id)
            let otherDispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(others, date: "2019-09-11")).id
            #expect(!otherDispatch.isEmpty)
            try await WebFixtures.account(app, "taro@basona.example.jp", role: .business, party: parties.business)
            try await WebFixtures.account(app, "staff@yorozu.example.jp", role: .institution, party: parties.institution)
            let business = Browser(app), institution = Browser(app)
            try await business.signIn("taro@basona.example.jp")
            try await institution.signIn("staff@yorozu.example.jp")

            let list = try await business.get("/dispatches")
            #expect(list.html.contains("カレンダーの URL を発行する"))
            let issued = try await business.post("/calendar/feed", [:])
            #expect(issued.status == .ok && issued.html.contains("二度と表示されません"))
            let url = try Self.feedURL(issued)
            #expect(try await business.get("/dispatches").html.contains("新しい URL を発行する"))

            // No login needed: the token is the secret.
            let first = try await Browser(app).get(url, accept: "text/calendar")
            #expect(first.status == .ok && first.headers.contentType?.description.hasPrefix("text/calendar") == true)
            let unfolded = first.html.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains("UID:dispatch-\(dispatch)@hakendesk") && unfolded.contains("SEQUENCE:0"))
            #expect(unfolded.contains("DTSTART;TZID=Asia/Tokyo:20190910T103000") && unfolded.contains("STATUS:CONFIRMED"))
            #expect(unfolded.contains("件名「ばそな建設/専門家次郎/9月10日(火) 10:30」"), "the business is told how to report")
            #expect(!unfolded.contains(otherDispatch) && !unfolded.contains("さくら製菓"), "only its own dispatches")

            // CON-5: the institution moves it, then cancels it; the same UID follows.
            try await institution.get("/dispatches/\(dispatch)/reschedule")
            let moved = try await institution.post("/dispatches/\(dispatch)/reschedule", ["date": "2019-09-12", "start": "13:00", "end": "16:00",
                                                                                          "place": "ばそな建設 工場", "reason": "社長の都合"])
            #expect(moved.status == .seeOther)
            let second = try await Browser(app).get(url).html.replacingOccurrences(of: "\r\n ", with: "")
            #expect(second.contains("UID:dispatch-\(dispatch)@hakendesk") && second.contains("SEQUENCE:1"))
            #expect(second.contains("DTSTART;TZID=Asia/Tokyo:20190912T130000") && second.contains("LOCATION:ばそな建設 工場"))
            try await institution.get("/dispatches/\(dispatch)")
            #expect(try await institution.post("/dispatches/\(dispatch)/cancel", ["reason": "先方の都合"]).status == .seeOther)
            let third = try await Browser(app).get(url).html.replacingOccurrences(of: "\r\n ", with: "")
            #expect(third.contains("STATUS:CANCELLED") && third.contains("SEQUENCE:2") && third.contains("UID:dispatch-\(dispatch)@hakendesk"))

            // The institution's own feed has it too; rotating the business's URL retires the old one.
            let institutionURL = try Self.feedURL(try await institution.post("/calendar/feed", [:]))
            #expect(try await Browser(app).get(institutionURL).html.contains("UID:dispatch-\(dispatch)@hakendesk"))
            try await business.get("/dispatches")
            let rotated = try Self.feedURL(try await business.post("/calendar/feed", [:]))
            #expect(rotated != url)
            #expect(try await Browser(app).get(url).status == .notFound)
            #expect(try await Browser(app).get(rotated).status == .ok)
            #expect(try await Browser(app).get("/calendar/not-a-token-but-long-enough-to-look.ics").status == .notFound)
            #expect(try await AuditEntryModel.query(on: app.db).filter(\.$action ~~ ["calendar.issue", "calendar.rotate"]).count() == 3)
        }
    }

    @Test("#13: the secretariat has no feed to issue, and a form post without the CSRF token is refused")
    func secretariatAndCSRF() async throws {
        try await TestDatabase.sqlite.withHakenApp { app in
            try await WebFixtures.account(app, "desk@haken.example.jp", role: .secretariat, party: nil)
            let desk = Browser(app)
            try await desk.signIn("desk@haken.example.jp")
            #expect(!(try await desk.get("/dispatches").html.contains("/calendar/feed")))
            #expect(try await desk.post("/calendar/feed", [:]).status == .forbidden)
            let parties = try await app.seedParties()
            try await WebFixtures.account(app, "taro@basona.example.jp", role: .business, party: parties.business)
            let business = Browser(app)
            try await business.signIn("taro@basona.example.jp")
            #expect(try await business.post("/calendar/feed", [:], withCSRF: false).status == .forbidden)
            #expect(try await CalendarFeeds.issuedAt(for: .business(try #require(UUID(uuidString: parties.business))), on: app.db) == nil)
        }
    }
}
