import Crypto
import Foundation
import HakenCore

/// Random secrets for links and API tokens: 256 bits, URL-safe base64. Only their SHA-256
/// (`digest`) is stored, so the database alone opens nothing.
public enum SecretToken {
    public static func generate() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}
