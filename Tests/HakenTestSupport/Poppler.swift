import Foundation

/// Reads a PDF back with Debian's poppler-utils, as a reader's viewer would (#13's tests).
public enum Poppler {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `/usr/bin/<tool>` and returns what it printed.
    public static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// `pdftotext -raw` (in drawing order) of a PDF given as bytes.
    public static func text(of pdf: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("haken-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run("pdftotext", ["-raw", "-enc", "UTF-8", file.path, "-"])
    }

    /// The number of pages `pdfinfo` counts.
    public static func pages(of pdf: [UInt8]) throws -> Int {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("haken-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let line = try run("pdfinfo", [file.path]).split(separator: "\n").first { $0.hasPrefix("Pages:") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    /// Text without any white space: a cell's text wraps where the layout decided.
    public static func squeezed(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
    }
}
