import ArgumentParser
import Foundation
import HakenMail

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure HakenDesk's own speed (scripts/bench_*.py compare it with other readers in the same run).",
        subcommands: [Read.self, Process.self, WebSeed.self, DeskSeed.self, PhotoIndex.self]
    )

    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read every .eml file of a folder fully (headers, subject, report, every attachment decoded and hashed).",
            discussion: "Prints one JSON line: files, bytes, seconds, microseconds per mail, and a checksum of the results so the work cannot be skipped."
        )

        @Argument(help: "Folder of .eml files.")
        var folder: String

        @Option(help: "Read the folder this many times and report the fastest pass.")
        var passes: Int = 1

        func run() throws {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") }.sorted()
            var file = FileBuffer()
            var best = Double.infinity
            var bytes = 0
            var checksum = 0
            for _ in 0..<max(1, passes) {
                bytes = 0
                checksum = 0
                let start = DispatchTime.now().uptimeNanoseconds
                for name in names {
                    let count = try file.load(folder + "/" + name)
                    bytes += count
                    let message = file.buffer.withUnsafeBufferPointer { MailReader.read(UnsafeBufferPointer(rebasing: $0[..<count])) }
                    checksum &+= (message.subject?.utf8.count ?? 0) &+ message.attachments.reduce(0) { $0 &+ $1.size &+ Int($1.sha256.utf8.first ?? 0) }
                    if message.report != nil { checksum &+= 1 }
                }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            say(#"{"files": \#(names.count), "bytes": \#(bytes), "seconds": \#(best), "usPerMail": \#(names.isEmpty ? 0 : best * 1e6 / Double(names.count)), "checksum": \#(checksum)}"#)
        }
    }
}

/// One buffer reused for every file, read with plain POSIX calls: the Python references
/// do the same (`open().read()`), and Foundation's URL and Data would cost more per mail
/// than the reading being measured.
struct FileBuffer {
    var buffer: [UInt8] = Array(repeating: 0, count: 1 << 16)

    struct ReadError: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot read \(path)" }
    }

    /// Reads the whole file into `buffer` and returns its length.
    mutating func load(_ path: String) throws -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ReadError(path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(path: path) }
        let size = Int(info.st_size)
        if buffer.count < size { buffer = Array(repeating: 0, count: size) }
        var done = 0
        while done < size {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            guard n > 0 else { throw ReadError(path: path) }
            done += n
        }
        return size
    }
}
