import Vapor

/// Which methods each path answers, so a request for a known path with any other method
/// (PUT, DELETE, TRACE, QUERY, …) is told 405 with `Allow` instead of 404.
struct RouteTable: Sendable {
    private var routes: [(path: [PathComponent], methods: Set<String>)] = []

    init(_ all: [Route] = []) {
        for route in all {
            if let index = routes.firstIndex(where: { $0.path == route.path }) {
                routes[index].methods.insert(route.method.rawValue)
            } else {
                routes.append((route.path, [route.method.rawValue]))
            }
        }
    }

    /// The methods of the path `segments` names (nil: no such path): those of every route that
    /// matches it. (Only the first would leave out `POST /calendar/feed` behind `GET /calendar/:file`,
    /// and the CSRF check, which asks here whether a method is answered, would let the POST pass.)
    func methods(for segments: [Substring]) -> Set<String>? {
        var found: Set<String>?
        for route in routes where route.path.count == segments.count {
            let matches = zip(route.path, segments).allSatisfy { component, segment in
                switch component {
                case .constant(let value): return value == segment
                case .parameter: return true
                case .anything, .catchall: return true
                }
            }
            if matches { found = (found ?? []).union(route.methods) }
        }
        return found
    }
}

/// Turns the router's 404 for a known path into 405 with the path's methods in `Allow`.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let abort as any AbortError where abort.status == .notFound && !(abort is APIError) {
            let segments = request.url.path.split(separator: "/")
            guard let methods = request.application.haken.routeTable.methods(for: segments),
                  !methods.contains(request.method.rawValue) else { throw abort }
            let allowed = methods.sorted().joined(separator: ", ")
            throw APIError(.methodNotAllowed, code: "method_not_allowed", reason: "このアドレスで使えるメソッドは \(allowed) です。",
                           headers: ["Allow": allowed])
        }
    }
}
