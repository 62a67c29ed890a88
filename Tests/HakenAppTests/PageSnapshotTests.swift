import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import SnapshotTesting
import Testing
import Vapor

/// Snapshots of rendered pages and mails (as SwiftPackageIndex-Server keeps them), so a change
/// of wording or markup shows in review. Random parts (ids, CSRF tokens, link signatures) are
/// replaced by placeholders; everything else is compared as text. SQLite only: the pages are
/// the same on both databases, and the matrix and controller tests run on both.
@Suite(.serialized) struct PageSnapshotTests {
    static func normalized(_ text: String) -> String {
        var out = text
        let patterns = [
            (#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9_-]{43}"#, "<LINK-TOKEN>"),
            (#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#, "<ID>"),
            (#"name="_csrf" value="[A-Za-z0-9_-]+""#, #"name="_csrf" value="<CSRF>""#),
        ]
        for (pattern, replacement) in patterns {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }

    func snapshot(_ text: String, named name: String, fileID: StaticString = #fileID, file: StaticString = #filePath,
                  testName: String = #function, line: UInt = #line, column: UInt = #column) {
        assertSnapshot(of: Self.normalized(text), as: .lines, named: name, fileID: fileID, file: file, testName: testName, line: line, column: column)
    }

    @Test("Snapshots: sign-up, login and the business's details form with its errors")
    func accountPages() async throws {
        try await TestDatabase.sqlite.withHakenApp { app in
            let browser = Browser(app)
            snapshot(try await browser.get("/login").html, named: "login")
            try await browser.get("/signup")
            snapshot(try await browser.post("/signup", ["email": "taro@basona", "password": "short", "passwordConfirmation": "other"]).html,
                     named: "signup-errors")
            try await browser.post("/signup", ["email": "taro@basona.example.jp", "password": WebFixtures.password, "passwordConfirmation": WebFixtures.password])
            let link = try #require(try await WebFixtures.mailedLink(app, to: "taro@basona.example.jp", prefix: "/signup/verify/"))
            let mail = try #require(try await OutboxModel.query(on: app.db).filter(\.$recipient == "taro@basona.example.jp").first())
            snapshot(mail.subject + "\n\n" + mail.body, named: "signup-mail")
            try await browser.get(link)
            try await browser.post(link, [:])
            snapshot(try await browser.get("/business/details").html, named: "business-details-form")
            snapshot(try await browser.post("/business/details", ["name": "ばそな建設", "postalCode": "12-34", "employees": "多数", "industry": "Z"]).html,
                     named: "business-details-errors")
        }
    }

    @Test("Snapshots: the dispatch page, the today page, the certification page and mails")
    func dispatchPages() async throws {
        try await TestDatabase.sqlite.withHakenApp { app in
            let (_, id, business, expert) = try await AfterTheDayWebTests.setUp(app)
            snapshot(try await business.get("/dispatches").html, named: "dispatch-list-business")
            snapshot(try await business.get("/dispatches/\(id)").html, named: "dispatch-business")
            snapshot(try await business.get("/dispatches/\(id)/today").html, named: "today")
            snapshot(try await expert.get("/dispatches/\(id)/report").html, named: "expert-report-form")
            try await expert.post("/dispatches/\(id)/report", ["actualStart": "10:30", "actualEnd": "15:10", "work": "資金繰り表の作成",
                                                              "nextSteps": "", "travelExpenses": "1,200"])
            let mail = try #require(try await OutboxModel.query(on: app.db).filter(\.$kind == "certification-request").first())
            snapshot(mail.subject + "\n\n" + mail.body, named: "certification-mail")
            let filed = try #require(try await OutboxModel.query(on: app.db).filter(\.$kind == "dispatch-notice").filter(\.$recipient == "info@basona.example.jp").first())
            snapshot(filed.subject + "\n\n" + filed.body, named: "dispatch-filed-mail")
            let link = try #require(try await WebFixtures.mailedLink(app, to: "info@basona.example.jp", prefix: "/certify/"))
            snapshot(try await Browser(app).get(link).html, named: "certification-refused-no-photo")
            try await AfterTheDayWebTests.record(app, id, .photo)
            snapshot(try await Browser(app).get(link).html, named: "certification-form")
        }
    }

    @Test("Snapshots: the desk's start page, a mail waiting for review, the photo screen, the declaration form and a reminder mail")
    func deskPages() async throws {
        try await TestDatabase.sqlite.withHakenApp { app in
            let world = try await MailIntakeTests.World.make(app)
            _ = try await world.send(MailIntakeTests.mail(from: "someone.genba@ezweb.ne.jp", subject: "ばそな建設/専門家次郎/8月21日(水)10:30~15:00",
                                                          id: "snapshot-photo", jpeg: true), at: MailIntakeTests.on21("15:10"))
            let desk = try await WebFixtures.signedIn(app, "snap@secretariat.example.jp", role: .secretariat, party: nil)
            snapshot(try await desk.get("/desk").html, named: "desk-home")
            let mail = try await world.lastMail().requireID().uuidString.lowercased()
            // Received times and sizes are fixed by the test; the mail's own Date header is not shown in the page's summary.
            snapshot(try await desk.get("/desk/mail/\(mail)?queue=unknownSender").html, named: "desk-mail-review")
            snapshot(try await desk.get("/desk/photos/\(world.dispatch)").html, named: "desk-photo")
            app.hakenClock = .fixed(dayAfterExample)
            snapshot(try await desk.get("/desk/dispatches/\(world.dispatch)/declarations").html, named: "desk-declarations")
            let reminder = ReminderText.reminder(business: "ばそな建設", expert: "専門家次郎",
                                                 schedule: DispatchSchedule(date: CivilDate(iso: "2019-12-26")!, start: TimeOfDay(hhmm: "10:30")!,
                                                                            end: TimeOfDay(hhmm: "15:00")!, place: "本社"),
                                                 kind: .photo, deadline: CivilDate(iso: "2020-01-07")!, copyToInstitution: false)
            snapshot(reminder.subject + "\n\n" + reminder.body, named: "reminder-mail")
        }
    }
}
