import Vapor

/// `?page=&per=` for every list. Out-of-range or unreadable values are refused with a 400 that
/// names the parameter (never clamped silently), and the offset is computed without overflow:
/// `page` stops at `maxPage`, so `(page - 1) * per` always fits.
struct Paging: Sendable, Equatable {
    var page: Int
    var per: Int

    static let maxPage = 1_000_000

    var offset: Int { (page - 1) * per }
    var range: Range<Int> { offset..<(offset + per) }

    static func from(_ req: Request, defaultPer: Int, maxPer: Int) throws -> Paging {
        Paging(page: try number(req, "page", default: 1, range: 1...maxPage,
                                message: "page は 1 から \(maxPage) までの整数で指定してください。"),
               per: try number(req, "per", default: defaultPer, range: 1...maxPer,
                               message: "per は 1 から \(maxPer) までの整数で指定してください。"))
    }

    /// One page of a list as JSON, with the whole list's length in `X-Total-Count`.
    static func response<Item: Content>(_ items: [Item], total: Int, for req: Request) async throws -> Response {
        let response = try await items.encodeResponse(for: req)
        response.headers.replaceOrAdd(name: "X-Total-Count", value: String(total))
        return response
    }

    private static func number(_ req: Request, _ name: String, default fallback: Int, range: ClosedRange<Int>, message: String) throws -> Int {
        guard let text = req.query[String.self, at: name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.field(name, code: "out_of_range", message: message, status: .badRequest)
        }
        return value
    }
}
