import Fluent
import SQLKit
import Vapor

/// `GET /healthz`: 200 `ok` when the database answers, 503 `degraded` when it does not, so a
/// load balancer stops sending work while mail intake keeps what it already has.
enum HealthController {
    struct Health: Content {
        var status: String
        var database: String
    }

    static func check(req: Request) async throws -> Response {
        var databaseOK = false
        if let sql = req.db as? SQLDatabase {
            databaseOK = (try? await sql.raw("SELECT 1").run()) != nil
        }
        let health = Health(status: databaseOK ? "ok" : "degraded", database: databaseOK ? "ok" : "unreachable")
        return try await health.encodeResponse(status: databaseOK ? .ok : .serviceUnavailable, for: req)
    }
}
