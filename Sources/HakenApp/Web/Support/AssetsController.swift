import Foundation
import Vapor

/// `/assets/{name}`: the style sheet and the small scripts, from this module's resources.
/// Only the files listed here are served (no paths from the request reach the filesystem).
enum AssetsController {
    static let files: [String: HTTPMediaType] = [
        "haken.css": HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"]),
        "today.js": HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]),
        "forms.js": HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"]),
    ]

    /// Read once at start: a few kilobytes.
    static let contents: [String: Data] = {
        let url = Bundle.module.resourceURL ?? Bundle.module.bundleURL
        var loaded: [String: Data] = [:]
        for name in files.keys {
            if let data = FileManager.default.contents(atPath: url.appendingPathComponent("Public").appendingPathComponent(name).path) {
                loaded[name] = data
            }
        }
        return loaded
    }()

    static func serve(req: Request) throws -> Response {
        guard let name = req.parameters.get("name"), let type = files[name], let data = contents[name] else {
            throw Abort(.notFound)
        }
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.contentType = type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}
