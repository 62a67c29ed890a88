import Foundation

extension UUID {
    /// The one spelling of an id the API shows (lower-case, as in `Location` and the audit log);
    /// Codable would write it upper-case.
    var apiString: String { uuidString.lowercased() }
}
