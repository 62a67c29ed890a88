import ArgumentParser
import Foundation
import HakenCore
import HakenImage

struct PhotoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "photo",
        abstract: "What HakenDesk reads from photos (#12).",
        subcommands: [Inspect.self]
    )

    /// One JSON object per file: the perceptual hash (imagehash.phash's hex), EXIF and SHA-256.
    /// scripts/photo_hash.py checks it against imagehash and piexif; the hashing benchmark times it.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print each photo's facts as one JSON line.")

        @Flag(help: "Hash the picture decoded at full size (as Image.open) instead of scaled down while decoding.")
        var full = false
        @Flag(help: "Only the perceptual hash (the hashing benchmark).")
        var hashOnly = false
        @Argument(help: "JPEG or HEIC files.") var files: [String]

        func run() throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for path in files {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                var line: [String: String] = ["file": path]
                if hashOnly || full {
                    line["phash"] = PerceptualHash.of(bytes, scaled: !full).map(PerceptualHash.hex)
                } else {
                    let facts = PhotoInspector.facts(bytes)
                    line["phash"] = facts.perceptualHash.map(PerceptualHash.hex)
                    line["sha256"] = facts.sha256
                    line["exif"] = facts.hasEXIF ? "yes" : "no"
                    line["takenAt"] = facts.takenAt?.isoMinute
                    line["offsetMinutes"] = facts.offsetMinutes.map(String.init)
                    line["position"] = facts.position
                    line["camera"] = facts.camera
                }
                say(String(decoding: try encoder.encode(line), as: UTF8.self))
            }
        }
    }
}
