import Foundation
import HakenApp
import HakenStore
import HakenTestSupport
import Testing
import Vapor
import VaporTesting

let adminToken = "test-admin-token-0123456789"
/// 2019-08-22 12:00 JST: the day after the guide's 8月21日 example.
let dayAfterExample = Date(timeIntervalSince1970: 1_566_442_800)

extension TestDatabase {
    /// A fully configured HakenDesk (the same `configure` as `hakendesk serve`) on a fresh database.
    func withHakenApp(now: Date = dayAfterExample, mail: MailSettings = MailSettings(),
                      _ body: (Application) async throws -> Void) async throws {
        try await withApp(configure: { app, store in
            app.hakenClock = .fixed(now)
            var configuration = AppConfiguration(store: store, adminToken: adminToken, mail: mail)
            configuration.bcryptCost = 4   // Bcrypt's lowest: the tests check logins, not hashing speed.
            try await HakenApp.configure(app, configuration)
        }, body)
    }
}

/// A JSON answer: status and body as a dictionary.
struct JSONResponse {
    var status: HTTPStatus
    var json: [String: Any]
    var headers: HTTPHeaders

    subscript(key: String) -> Any? { json[key] }
    var id: String { json["id"] as? String ?? "" }
    var field: String? { json["field"] as? String }
    var code: String? { json["code"] as? String }
}

extension Application {
    func call(_ method: HTTPMethod, _ path: String, token: String? = adminToken, json: [String: Any?]? = nil,
              rawBody: String? = nil, headers: [String: String] = [:]) async throws -> JSONResponse {
        let response = try await testing().sendRequest(method, path) { request in
            if let token { request.headers.bearerAuthorization = BearerAuthorization(token: token) }
            for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
            if let json {
                let data = try JSONSerialization.data(withJSONObject: json.compactMapValues { $0 })
                request.body = ByteBuffer(data: data)
                request.headers.contentType = .json
            } else if let rawBody {
                request.body = ByteBuffer(string: rawBody)
                request.headers.contentType = .json
            }
        }
        let data = Data(buffer: response.body)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return JSONResponse(status: response.status, json: object, headers: response.headers)
    }

    /// Registers one institution, expert and business through the API and returns their ids.
    /// The guide's parties, and the consultation at the institution a dispatch rests on (CON-1).
    func seedParties() async throws -> SeededParties {
        let institution = try await call(.POST, "api/v1/institutions", json: ["name": "東京都よろず支援拠点", "kind": "よろず支援拠点", "email": "yorozu@example.jp"])
        let expert = try await call(.POST, "api/v1/experts", json: ["name": "専門家次郎", "email": "jiro@example.jp"])
        let business = try await call(.POST, "api/v1/businesses", json: ["name": "ばそな建設", "contactName": "派遣 太郎",
                                                                          "email": "info@basona.example.jp", "mobileEmail": "basona@docomo.ne.jp"])
        let consultation = try await call(.POST, "api/v1/consultations", json: [
            "institutionId": institution.id, "businessId": business.id, "date": "2019-08-01", "mode": "対面",
            "consultedPerson": "派遣 太郎", "photographed": true])
        #expect(institution.status == .created && expert.status == .created && business.status == .created && consultation.status == .created)
        return SeededParties(institution: institution.id, expert: expert.id, business: business.id, consultation: consultation.id)
    }

    func dispatchBody(_ parties: SeededParties,
                      date: String = "2019-08-21", start: String = "10:30", end: String = "15:00") -> [String: Any?] {
        ["businessId": parties.business, "expertId": parties.expert, "institutionId": parties.institution,
         "consultationId": parties.consultation, "date": date, "start": start, "end": end, "place": "ばそな建設 本社会議室"]
    }
}

/// Ids of the parties `seedParties` registered.
struct SeededParties: Sendable {
    var institution: String
    var expert: String
    var business: String
    var consultation: String
}
