import Crypto
import Foundation
import HakenCore

/// NOTE-3: the secret that keys the audit chain (HMAC-SHA256). It lives in a file outside
/// the database (`AuditKeyFile`), so someone who can rewrite the database but has not got the
/// key cannot recompute the chain after changing or removing entries.
public struct AuditKey: Sendable {
    private let bytes: [UInt8]
    private let box: KeyBox

    /// `SymmetricKey` is immutable but not declared Sendable; made once, shared read-only.
    private final class KeyBox: @unchecked Sendable {
        let key: SymmetricKey
        init(_ key: SymmetricKey) { self.key = key }
    }

    var key: SymmetricKey { box.key }

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.box = KeyBox(SymmetricKey(data: bytes))
    }

    public static func random() -> AuditKey {
        AuditKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The keyed chain: HMAC over the previous MAC and the entry's hashed fields.
    func mac(prev: String, fields: String) -> String {
        var authenticator = HMAC<SHA256>(key: key)
        authenticator.update(data: Data((AuditLog.jsonString(prev) + "\n").utf8))
        var text = fields
        text.withUTF8 { authenticator.update(data: UnsafeRawBufferPointer($0)) }
        return Data(authenticator.finalize()).hexString
    }

    func sign(_ text: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)).hexString
    }

    /// Hex, for the key file.
    var hex: String { Data(bytes).hexString }

    init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.init(bytes: bytes)
    }
}

/// Where the audit key and the anchors live: by default a folder beside the data folder
/// (`./var-keys` for `./var`), so a copy of the database folder does not carry the key.
public struct AuditKeyFiles: Sendable, Equatable {
    /// `HAKEN_AUDIT_KEY_FILE`.
    public var keyFile: URL
    /// `HAKEN_AUDIT_ANCHOR_FILE`.
    public var anchorFile: URL

    public init(keyFile: URL, anchorFile: URL) {
        self.keyFile = keyFile
        self.anchorFile = anchorFile
    }

    public static func beside(dataDirectory: URL) -> AuditKeyFiles {
        let folder = dataDirectory.standardizedFileURL
        let keys = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-keys", isDirectory: true)
        return AuditKeyFiles(keyFile: keys.appendingPathComponent("audit.key"), anchorFile: keys.appendingPathComponent("audit-anchors.log"))
    }

    public enum Problem: Error, CustomStringConvertible {
        case missingWhileLogIsKeyed(URL)
        case unreadable(URL)
        case tooOpen(URL)

        public var description: String {
            switch self {
            case .missingWhileLogIsKeyed(let url):
                return "the audit key file \(url.path) is missing, but the audit log was written with a key: restore the file from its backup (a new key would make every entry look forged)"
            case .unreadable(let url): return "the audit key file \(url.path) does not hold a key (64 hex digits)"
            case .tooOpen(let url): return "the audit key file \(url.path) can be read by others: chmod 600 it"
            }
        }
    }

    /// Reads the key, or creates it (0600, in a 0700 folder) on first start. Refuses to make
    /// a new key for a log that already has keyed entries.
    public func loadOrCreate(logIsKeyed: Bool) throws -> AuditKey {
        let manager = FileManager.default
        if manager.fileExists(atPath: keyFile.path) {
            let attributes = try manager.attributesOfItem(atPath: keyFile.path)
            if let mode = attributes[.posixPermissions] as? NSNumber, mode.intValue & 0o077 != 0 { throw Problem.tooOpen(keyFile) }
            let text = try String(contentsOf: keyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let key = AuditKey(hex: text) else { throw Problem.unreadable(keyFile) }
            return key
        }
        if logIsKeyed { throw Problem.missingWhileLogIsKeyed(keyFile) }
        let folder = keyFile.deletingLastPathComponent()
        try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = AuditKey.random()
        let fd = open(keyFile.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Problem.unreadable(keyFile) }
        defer { close(fd) }
        let bytes = Array((key.hex + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else { throw Problem.unreadable(keyFile) }
        return key
    }
}
