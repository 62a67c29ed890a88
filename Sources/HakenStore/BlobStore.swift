import Crypto
import Foundation
import HakenCore
#if canImport(Glibc)
import Glibc
#endif

/// Files under the data folder, named by their SHA-256: raw mail and attachments. A file is
/// written to a temporary name, fsynced, renamed into place and its folder fsynced, so a
/// file that exists is complete even after a power cut (DEC-8). The same content is stored once.
public struct BlobStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public struct Stored: Sendable, Equatable {
        /// Relative to the root, e.g. `mail/ab/cd/abcd….eml`.
        public var path: String
        public var sha256: String
        public var size: Int
    }

    public enum Failure: Error, CustomStringConvertible {
        case io(String, Int32)
        public var description: String {
            switch self {
            case .io(let what, let code): return "\(what) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// Stores `bytes` durably under `kind` (`mail`, `files`) with `suffix` (`.eml`, `.jpg`).
    public func put(_ bytes: UnsafeRawBufferPointer, kind: String, suffix: String) throws -> Stored {
        let writer = try writer(kind: kind, suffix: suffix)
        writer.append(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
        return try writer.finish()
    }

    public func put(_ bytes: [UInt8], kind: String, suffix: String) throws -> Stored {
        try bytes.withUnsafeBytes { try put($0, kind: kind, suffix: suffix) }
    }

    /// Starts a file whose content arrives in pieces (an attachment as it is decoded); it gets
    /// its name from its hash when finished, with the same durability as `put`.
    public func writer(kind: String, suffix: String) throws -> Writer {
        try Writer(store: self, kind: kind, suffix: suffix)
    }

    public final class Writer {
        let store: BlobStore
        let kind: String
        let suffix: String
        let temporary: URL
        var fd: Int32
        var hasher = SHA256()
        var size = 0
        var failure: Failure?

        init(store: BlobStore, kind: String, suffix: String) throws {
            self.store = store
            self.kind = kind
            self.suffix = suffix
            let folder = store.root.appendingPathComponent(kind, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            temporary = folder.appendingPathComponent(".tmp-\(UUID().uuidString)")
            fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o640)
            guard fd >= 0 else { throw Failure.io("open \(temporary.path)", errno) }
        }

        deinit {
            if fd >= 0 {
                close(fd)
                unlink(temporary.path)
            }
        }

        /// Appends a piece; an I/O error is kept and thrown by `finish`.
        public func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard failure == nil, fd >= 0, let base = bytes.baseAddress else { return }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            size += bytes.count
            var written = 0
            while written < bytes.count {
                let n = write(fd, base + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .io("write", errno)
                    return
                }
                written += n
            }
        }

        public func finish() throws -> Stored {
            if let failure { throw failure }
            guard fsync(fd) == 0 else { throw Failure.io("fsync", errno) }
            close(fd)
            fd = -1
            let digest = hasher.finalize().hexString
            let relative = "\(kind)/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))/\(digest)\(suffix)"
            let target = store.url(relative)
            let folder = target.deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard rename(temporary.path, target.path) == 0 else {
                let code = errno
                unlink(temporary.path)
                throw Failure.io("rename", code)
            }
            let dirFD = open(folder.path, O_RDONLY | O_DIRECTORY)
            if dirFD >= 0 {
                _ = fsync(dirFD)
                close(dirFD)
            }
            return Stored(path: relative, sha256: digest, size: size)
        }
    }

    public func read(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(path)))
    }

    public func url(_ path: String) -> URL { root.appendingPathComponent(path) }
}
