import Crypto
import Foundation
import HakenCore

/// Random secrets for API tokens and CSRF tokens: 256 bits, URL-safe base64. (API tokens are
/// stored as their SHA-256; mailed links are signed instead, see ActionLinks.)
public enum SecretToken {
    public static func generate() -> String {
        base64URL(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// URL-safe base64 without padding (RFC 4648 §5), for tokens that travel in links.
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
