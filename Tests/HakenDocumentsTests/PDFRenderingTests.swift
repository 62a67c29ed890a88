import Foundation
import HakenCore
@testable import HakenDocuments
import HakenTestSupport
import Testing

/// The PDFs themselves, read back by poppler (Debian's poppler-utils) as a reader's viewer
/// would: the text that was filled in, the fonts embedded, and each page against a golden
/// image kept in `Golden/` (recorded when missing; checked by eye once: see docs/forms.md).
/// Each page is also written to var/screenshots/forms/ to look at.
@Suite struct PDFRenderingTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let golden = root.appendingPathComponent("Golden")
    static let screenshots = root.appendingPathComponent("../../var/screenshots/forms").standardizedFileURL

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haken-forms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func written(_ form: PrintedForm, in folder: URL, name: String) throws -> URL {
        let file = folder.appendingPathComponent("\(name).pdf")
        try Data(try PDFRenderer.render(form)).write(to: file)
        return file
    }

    @Test("#13: every sample form's text comes out of pdftotext as it was filled in", arguments: SampleForms.kinds)
    func textReadsBack(kind: String) throws {
        let form = try #require(SampleForms.form(kind))
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.written(form, in: folder, name: kind)
        let text = Poppler.squeezed(try Poppler.run("pdftotext", ["-raw", "-enc", "UTF-8", file.path, "-"]))
        for piece in form.texts + ["整理番号\(form.reference)", "作成日\(form.madeOn)"] where !Poppler.squeezed(piece).isEmpty {
            #expect(text.contains(Poppler.squeezed(piece)), "\(kind): 「\(piece)」 not in the PDF's text")
        }
        let info = try Poppler.run("pdfinfo", [file.path])
        #expect(info.contains("Title:") && info.contains(form.title))
        #expect(info.contains("595.276 x 841.89 pts (A4)"))
    }

    @Test("#13: the Japanese fonts are embedded as subsets, and no other font is used", arguments: SampleForms.kinds)
    func fontsEmbedded(kind: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.written(try #require(SampleForms.form(kind)), in: folder, name: kind)
        let rows = try Poppler.run("pdffonts", [file.path]).split(separator: "\n").dropFirst(2)
        #expect(!rows.isEmpty)
        var families: Set<String> = []
        for row in rows {
            let columns = row.split(separator: " ", omittingEmptySubsequences: true)
            // name, type…, encoding, emb, sub, uni, object, id: emb and sub are the 5th and 4th from the end.
            guard columns.count >= 7 else { Issue.record("unreadable pdffonts row \(row)"); continue }
            #expect(columns[columns.count - 5] == "yes" && columns[columns.count - 4] == "yes", "\(kind): \(row) not embedded as a subset")
            families.insert(String(columns[0].split(separator: "+").last ?? ""))
        }
        #expect(families.isSubset(of: ["IPAexMincho", "IPAexGothic"]) && families.contains("IPAexMincho"), "\(kind): \(families)")
    }

    @Test("#13: each page looks as it did when checked by eye (golden images, with a tolerance for the rasteriser)", arguments: SampleForms.kinds)
    func goldenImages(kind: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.written(try #require(SampleForms.form(kind)), in: folder, name: kind)
        _ = try Poppler.run("pdftoppm", ["-r", "36", "-gray", file.path, folder.appendingPathComponent("page").path])
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        _ = try Poppler.run("pdftoppm", ["-r", "90", "-png", file.path, Self.screenshots.appendingPathComponent(kind).path])
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".pgm") }.sorted()
        #expect(!pages.isEmpty)
        try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
        for (index, name) in pages.enumerated() {
            let rendered = try Data(contentsOf: folder.appendingPathComponent(name))
            let goldenFile = Self.golden.appendingPathComponent("\(kind)-\(index + 1).pgm")
            guard let expected = try? Data(contentsOf: goldenFile) else {
                try rendered.write(to: goldenFile)
                Issue.record("recorded \(goldenFile.lastPathComponent): look at var/screenshots/forms/\(kind)-\(index + 1).png, then run again")
                continue
            }
            let difference = GreyImage.compare(try GreyImage(pgm: rendered), try GreyImage(pgm: expected))
            #expect(difference.sameSize, "\(kind) page \(index + 1): the page size changed")
            #expect(difference.changedShare < 0.001, "\(kind) page \(index + 1): \(difference.changedShare * 100)% of pixels changed")
        }
        let goldenPages = try FileManager.default.contentsOfDirectory(atPath: Self.golden.path).filter { $0.hasPrefix("\(kind)-") }.count
        #expect(goldenPages == pages.count, "\(kind): \(pages.count) pages now, \(goldenPages) in the golden images")
    }

    @Test("#13: a report longer than a page flows onto the next pages and loses no line")
    func longTextFlows() throws {
        let lines = (1...120).map { "第\($0)項：資金繰り表の見直しと売掛金の回収条件について、取引先ごとに確認した。" }
        let work = lines.joined(separator: "\n")
        let report = ExpertReport(actualStart: .midnight, actualEnd: .midnight, work: work, nextSteps: nil, travelExpensesYen: 0)
        let form = ExpertReportForm.make(SampleForms.dispatch, report: report, filedAt: LocalDateTime(date: SampleForms.dispatch.schedule.date, time: .midnight),
                                         made: SampleForms.made)
        let bytes = try PDFRenderer.render(form)
        let pages = try Poppler.pages(of: bytes)
        #expect(pages >= 3)
        let text = Poppler.squeezed(try Poppler.text(of: bytes))
        for line in lines { #expect(text.contains(Poppler.squeezed(line)), "lost: \(line)") }
        #expect(text.contains("\(pages)/\(pages)"))
    }

    @Test("#13: the same form is the same file, drawn alone or by many threads at once")
    func deterministicAndThreadSafe() async throws {
        let form = try #require(SampleForms.form("declaration-report"))
        let first = try PDFRenderer.render(form)
        #expect(try PDFRenderer.render(form) == first)
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<16 { group.addTask { try PDFRenderer.render(form) } }
            var all: [[UInt8]] = []
            for try await bytes in group { all.append(bytes) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 == first })
    }
}

/// An 8-bit grey image from pdftoppm's PGM (P5).
struct GreyImage {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    init(pgm data: Data) throws {
        let bytes = [UInt8](data)
        var fields: [String] = []
        var index = 0
        while fields.count < 4 && index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
            var field = ""
            while index < bytes.count, !(bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09) {
                field.append(Character(UnicodeScalar(bytes[index])))
                index += 1
            }
            fields.append(field)
        }
        index += 1
        guard fields.count == 4, fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]), fields[3] == "255",
              width > 0, height > 0, bytes.count - index >= width * height else { throw CocoaError(.fileReadCorruptFile) }
        self.width = width
        self.height = height
        pixels = Array(bytes[index..<(index + width * height)])
    }

    /// The share of pixels more than a quarter of the grey range apart (antialiasing differs by
    /// a few levels between rasterisers; a moved line or a changed word moves whole glyphs).
    static func compare(_ a: GreyImage, _ b: GreyImage) -> (sameSize: Bool, changedShare: Double) {
        guard a.width == b.width, a.height == b.height else { return (false, 1) }
        var changed = 0
        for index in 0..<a.pixels.count where abs(Int(a.pixels[index]) - Int(b.pixels[index])) > 64 { changed += 1 }
        return (true, Double(changed) / Double(a.pixels.count))
    }
}
