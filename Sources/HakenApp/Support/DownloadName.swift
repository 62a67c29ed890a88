import Foundation
import Vapor

extension HTTPHeaders {
    /// A downloaded file's Japanese name (RFC 6266 `filename*`, UTF-8 percent-encoded) with an
    /// ASCII fallback for older clients; `inline` to open it in the browser (a PDF), else saved.
    mutating func setFileName(_ name: String, ascii: String, extension ext: String, inline: Bool) {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        replaceOrAdd(name: .contentDisposition, value: "\(inline ? "inline" : "attachment"); filename=\"\(ascii).\(ext)\"; filename*=UTF-8''\(encoded).\(ext)")
    }
}
