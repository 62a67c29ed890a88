import ArgumentParser
import Foundation
import HakenDocuments

struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms",
        abstract: "The printed forms HakenDesk makes (#13).",
        subcommands: [Sample.self]
    )

    /// Each sample form as PDF (or its blocks as JSON, which scripts/bench_forms.py draws with
    /// ReportLab for the comparison in docs/benchmarks.md).
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the sample forms to a folder, or time drawing them.")

        @Option(help: "Folder for the PDFs (one per kind).") var out: String?
        @Option(help: "Only this kind: \(SampleForms.kinds.joined(separator: ", ")).") var kind: String?
        @Flag(help: "Print the forms' blocks as JSON instead of drawing them.") var json = false
        @Option(name: .customLong("repeat"), help: "Draw each form this many times and print forms per second (the benchmark).") var times: Int = 0

        func validate() throws {
            if let kind, !SampleForms.kinds.contains(kind) { throw ValidationError("--kind must be one of \(SampleForms.kinds.joined(separator: ", "))") }
            guard (0...1_000_000).contains(times) else { throw ValidationError("--repeat must be 0…1000000") }
        }

        func run() throws {
            let kinds = kind.map { [$0] } ?? SampleForms.kinds
            let forms = kinds.compactMap { kind in SampleForms.form(kind).map { (kind, $0) } }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let object = Dictionary(uniqueKeysWithValues: forms.map { ($0.0, $0.1) })
                say(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            if times > 0 {
                for (kind, form) in forms {
                    var bytes = 0
                    let clock = ContinuousClock()
                    let elapsed = try clock.measure {
                        for _ in 0..<times { bytes = try PDFRenderer.render(form).count }
                    }
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    say("{\"kind\":\"\(kind)\",\"forms\":\(times),\"seconds\":\(seconds),\"formsPerSecond\":\(Double(times) / max(seconds, 1e-9)),\"bytes\":\(bytes)}")
                }
                return
            }
            let folder = URL(fileURLWithPath: out ?? ".")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (kind, form) in forms {
                let file = folder.appendingPathComponent("\(kind).pdf")
                try Data(try PDFRenderer.render(form)).write(to: file)
                say(file.path)
            }
        }
    }
}
