import Fluent
import Foundation
import HakenApp
import HakenCore
import HakenStore
import HakenTestSupport
import Testing
import Vapor

/// The whole matrix: role × route (pages and API) × own or another party's object. The
/// expected answers are written out here by hand, not derived from the policy, so a change
/// of the policy that leaks shows up as a failing row. The API is called both with the
/// session and with an API token of the same role and party: they must answer alike.
@Suite struct PermissionMatrixTests {
    struct World {
        var own: SeededParties
        var other: SeededParties
        var ownDispatch: String
        var otherDispatch: String
    }

    static func seed(_ app: Application) async throws -> World {
        let own = try await app.seedParties()
        let institution = try await app.call(.POST, "api/v1/institutions", json: ["name": "大手町商工会議所", "kind": "商工会議所", "email": "cci@example.jp"])
        let expert = try await app.call(.POST, "api/v1/experts", json: ["name": "山田一郎", "email": "yamada@example.jp"])
        let business = try await app.call(.POST, "api/v1/businesses", json: ["name": "さくら製菓", "contactName": "桜 花子", "email": "info@sakura.example.jp"])
        let consultation = try await app.call(.POST, "api/v1/consultations", json: [
            "institutionId": institution.id, "businessId": business.id, "date": "2019-08-01", "mode": "対面", "consultedPerson": "桜 花子", "photographed": true])
        let other = SeededParties(institution: institution.id, expert: expert.id, business: business.id, consultation: consultation.id)
        let ownDispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(own))
        let otherDispatch = try await app.call(.POST, "api/v1/dispatches", json: app.dispatchBody(other))
        #expect(ownDispatch.status == .created && otherDispatch.status == .created)
        return World(own: own, other: other, ownDispatch: ownDispatch.id, otherDispatch: otherDispatch.id)
    }

    /// A route with the expected status for each role, for the own object and for the other's.
    struct Route: Sendable {
        var name: String
        var path: @Sendable (SeededParties, String) -> String
        var api: Bool
        /// role → (own, other)
        var expected: [Role: (HTTPStatus, HTTPStatus)]
    }

    static let ok = HTTPStatus.ok, no = HTTPStatus.forbidden
    /// Allowed, and refused for a reason of the dispatch itself (its day has passed: CON-5).
    static let late = HTTPStatus.conflict
    /// The secretariat's desk (#11): nobody else reaches any of it.
    static let secretariatOnly: [Role: (HTTPStatus, HTTPStatus)] = [.secretariat: (ok, ok), .institution: (no, no), .expert: (no, no), .business: (no, no)]

    /// Allowed, but the thing is not there yet (no expert report, no certification filed).
    static let absent = HTTPStatus.notFound
    static let dispatchParties: [Role: (HTTPStatus, HTTPStatus)] = [.secretariat: (ok, ok), .institution: (ok, no), .expert: (ok, no), .business: (ok, no)]

    static let routes: [Route] = [
        // #13: the printed forms, pages and API alike.
        Route(name: "declaration form", path: { _, d in "/dispatches/\(d)/forms/declaration.pdf" }, api: false, expected: dispatchParties),
        Route(name: "API declaration form", path: { _, d in "/api/v1/dispatches/\(d)/forms/declaration.pdf" }, api: true, expected: dispatchParties),
        Route(name: "expert report form", path: { _, d in "/dispatches/\(d)/forms/expert-report.pdf" }, api: false,
              expected: [.secretariat: (absent, absent), .institution: (absent, no), .expert: (absent, no), .business: (absent, no)]),
        Route(name: "certification form", path: { _, d in "/dispatches/\(d)/forms/certification.pdf" }, api: false,
              expected: [.secretariat: (absent, absent), .institution: (absent, no), .expert: (no, no), .business: (absent, no)]),
        Route(name: "API certification form", path: { _, d in "/api/v1/dispatches/\(d)/forms/certification.pdf" }, api: true,
              expected: [.secretariat: (absent, absent), .institution: (absent, no), .expert: (no, no), .business: (absent, no)]),
        Route(name: "consent form", path: { p, _ in "/businesses/\(p.business)/forms/consent.pdf" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (ok, no)]),
        Route(name: "API consent form", path: { p, _ in "/api/v1/businesses/\(p.business)/forms/consent.pdf" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (ok, no)]),
        Route(name: "dispatch record", path: { _, d in "/desk/dispatches/\(d)/record.pdf" }, api: false, expected: secretariatOnly),
        Route(name: "dispatch record CSV", path: { _, d in "/desk/dispatches/\(d)/record.csv" }, api: false, expected: secretariatOnly),
        Route(name: "API dispatch record", path: { _, d in "/api/v1/dispatches/\(d)/forms/record.pdf" }, api: true, expected: secretariatOnly),
        Route(name: "dispatch page", path: { _, d in "/dispatches/\(d)" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (ok, no), .business: (ok, no)]),
        Route(name: "today page", path: { _, d in "/dispatches/\(d)/today" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (no, no), .expert: (no, no), .business: (ok, no)]),
        Route(name: "today status", path: { _, d in "/dispatches/\(d)/status.json" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (ok, no), .business: (ok, no)]),
        Route(name: "expert report form", path: { _, d in "/dispatches/\(d)/report" }, api: false,
              expected: [.secretariat: (no, no), .institution: (no, no), .expert: (ok, no), .business: (no, no)]),
        Route(name: "dispatch filing form", path: { p, _ in "/consultations/\(p.consultation)/dispatch" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (no, no)]),
        Route(name: "reschedule form", path: { _, d in "/dispatches/\(d)/reschedule" }, api: false,
              expected: [.secretariat: (late, late), .institution: (late, no), .expert: (no, no), .business: (no, no)]),
        Route(name: "consent on the business's behalf", path: { p, _ in "/businesses/\(p.business)/consent" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (no, no)]),
        Route(name: "expert profile", path: { _, _ in "/expert/profile" }, api: false,
              expected: [.secretariat: (no, no), .institution: (no, no), .expert: (ok, ok), .business: (no, no)]),
        Route(name: "consent register", path: { _, _ in "/desk/consents" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (no, no), .expert: (no, no), .business: (no, no)]),
        Route(name: "invitations", path: { _, _ in "/desk/invitations" }, api: false,
              expected: [.secretariat: (ok, ok), .institution: (no, no), .expert: (no, no), .business: (no, no)]),
        Route(name: "desk home", path: { _, _ in "/desk" }, api: false, expected: secretariatOnly),
        Route(name: "desk inbox", path: { _, _ in "/desk/mail?queue=unmatched" }, api: false, expected: secretariatOnly),
        Route(name: "desk photo queue", path: { _, _ in "/desk/photos" }, api: false, expected: secretariatOnly),
        Route(name: "desk disputes", path: { _, _ in "/desk/disputes" }, api: false, expected: secretariatOnly),
        Route(name: "desk declarations", path: { _, d in "/desk/dispatches/\(d)/declarations" }, api: false, expected: secretariatOnly),
        Route(name: "desk inbox CSV", path: { _, _ in "/desk/mail.csv" }, api: false, expected: secretariatOnly),
        Route(name: "desk photo CSV", path: { _, _ in "/desk/photos.csv" }, api: false, expected: secretariatOnly),
        Route(name: "desk deadlines CSV", path: { _, _ in "/desk/deadlines.csv" }, api: false, expected: secretariatOnly),
        Route(name: "desk consents CSV", path: { _, _ in "/desk/consents.csv" }, api: false, expected: secretariatOnly),
        Route(name: "API consent register", path: { _, _ in "/api/v1/desk/consents" }, api: true, expected: secretariatOnly),
        Route(name: "desk dashboard", path: { _, _ in "/desk/dashboard" }, api: false, expected: secretariatOnly),
        Route(name: "API dashboard", path: { _, _ in "/api/v1/desk/dashboard" }, api: true, expected: secretariatOnly),
        Route(name: "desk audit", path: { _, _ in "/desk/audit" }, api: false, expected: secretariatOnly),
        Route(name: "desk dispatch audit", path: { _, d in "/desk/dispatches/\(d)/audit" }, api: false, expected: secretariatOnly),
        Route(name: "API audit", path: { _, _ in "/api/v1/audit" }, api: true, expected: secretariatOnly),
        Route(name: "API dispatch audit", path: { _, d in "/api/v1/dispatches/\(d)/audit" }, api: true, expected: secretariatOnly),
        Route(name: "desk deadlines", path: { _, _ in "/desk/deadlines" }, api: false, expected: secretariatOnly),
        Route(name: "API desk deadlines", path: { _, _ in "/api/v1/desk/deadlines" }, api: true, expected: secretariatOnly),
        Route(name: "API desk queues", path: { _, _ in "/api/v1/desk/queues" }, api: true, expected: secretariatOnly),
        Route(name: "API inbox", path: { _, _ in "/api/v1/mail?q=" + "ばそな".addingPercentEncoding(withAllowedCharacters: .alphanumerics)! },
              api: true, expected: secretariatOnly),
        Route(name: "API photo queue", path: { _, _ in "/api/v1/desk/photos" }, api: true, expected: secretariatOnly),
        Route(name: "API declarations", path: { _, d in "/api/v1/dispatches/\(d)/declarations" }, api: true, expected: secretariatOnly),
        Route(name: "business details page", path: { _, _ in "/business/details" }, api: false,
              expected: [.secretariat: (no, no), .institution: (no, no), .expert: (no, no), .business: (ok, ok)]),
        Route(name: "API dispatch", path: { _, d in "/api/v1/dispatches/\(d)" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (ok, no), .business: (ok, no)]),
        Route(name: "API business", path: { p, _ in "/api/v1/businesses/\(p.business)" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (ok, no)]),
        Route(name: "API consultation", path: { p, _ in "/api/v1/consultations/\(p.consultation)" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (ok, no)]),
        Route(name: "API institution", path: { p, _ in "/api/v1/institutions/\(p.institution)" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, no), .expert: (no, no), .business: (no, no)]),
        Route(name: "API expert", path: { p, _ in "/api/v1/experts/\(p.expert)" }, api: true,
              expected: [.secretariat: (ok, ok), .institution: (ok, ok), .expert: (ok, no), .business: (no, no)]),
    ]

    @Test("Permission matrix: role × route × own/other, pages and API, session and token alike", arguments: TestDatabase.all)
    func permissionMatrix(database: TestDatabase) async throws {
        try await database.withHakenApp { app in
            let world = try await Self.seed(app)
            var browsers: [Role: Browser] = [:]
            var tokens: [Role: String] = [:]
            for role in Role.allCases {
                let party: String? = switch role {
                case .secretariat: nil
                case .institution: world.own.institution
                case .expert: world.own.expert
                case .business: world.own.business
                }
                try await WebFixtures.account(app, "\(role.rawValue)@matrix.example.jp", role: role, party: party)
                let browser = Browser(app)
                #expect(try await browser.signIn("\(role.rawValue)@matrix.example.jp").status == .seeOther)
                browsers[role] = browser
                tokens[role] = try await APITokens.issue(role: role, partyID: party.flatMap(UUID.init(uuidString:)), label: "matrix", on: app.db,
                                                         key: app.haken.auditKey)
            }
            var leaks: [String] = []
            for route in Self.routes {
                for role in Role.allCases {
                    guard let expected = route.expected[role], let browser = browsers[role], let token = tokens[role] else { continue }
                    for (which, parties, dispatch, status) in [("own", world.own, world.ownDispatch, expected.0),
                                                               ("other", world.other, world.otherDispatch, expected.1)] {
                        let path = route.path(parties, dispatch)
                        let page = try await browser.send(.GET, path, body: nil, contentType: nil, accept: route.api ? "application/json" : "text/html")
                        if page.status != status { leaks.append("\(route.name) \(role.rawValue) \(which): \(page.status.code), expected \(status.code)") }
                        if route.api {
                            let viaToken = try await app.call(.GET, String(path.dropFirst()), token: token)
                            if viaToken.status != page.status {
                                leaks.append("\(route.name) \(role.rawValue) \(which): token \(viaToken.status.code) but session \(page.status.code)")
                            }
                        }
                    }
                }
                // Nobody signed in: pages go to the login page, the API says 401.
                let anonymous = try await Browser(app).send(.GET, route.path(world.own, world.ownDispatch), body: nil, contentType: nil,
                                                            accept: route.api ? "application/json" : "text/html")
                let wanted: HTTPStatus = route.api ? .unauthorized : .seeOther
                if anonymous.status != wanted { leaks.append("\(route.name) anonymous: \(anonymous.status.code)") }
            }
            #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")

            // Lists: each role's list holds exactly what it may read.
            for role in Role.allCases {
                guard let browser = browsers[role] else { continue }
                let list = try await browser.get("/dispatches")
                let api = try await browser.send(.GET, "/api/v1/dispatches", body: nil, contentType: nil, accept: "application/json")
                let seesOther = role == .secretariat
                #expect(list.html.contains(world.ownDispatch) && api.html.contains(world.ownDispatch), "\(role) sees its own")
                #expect(list.html.contains(world.otherDispatch) == seesOther && api.html.contains(world.otherDispatch) == seesOther,
                        "\(role) and the other party's dispatch")
            }
        }
    }
}
