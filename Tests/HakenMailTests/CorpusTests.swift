import Foundation
import Testing
@testable import HakenMail

/// Every message of the corpus (scripts/corpus/make_mail_corpus.py, plus the peer parser's
/// cases under peer/) read as `hakendesk mail inspect` reads it, checked against the keys its
/// `.expected.json` names.
@Suite struct CorpusTests {
    static let corpus: URL = Bundle.module.resourceURL!.appendingPathComponent("Corpus")

    static var cases: [String] {
        let fm = FileManager.default
        var names: [String] = []
        for folder in ["", "peer"] {
            let url = folder.isEmpty ? corpus : corpus.appendingPathComponent(folder)
            for file in (try? fm.contentsOfDirectory(atPath: url.path)) ?? [] where file.hasSuffix(".eml") {
                names.append(folder.isEmpty ? String(file.dropLast(4)) : "\(folder)/\(file.dropLast(4))")
            }
        }
        return names.sorted()
    }

    @Test func corpusIsThere() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func readsAsExpected(name: String) throws {
        let eml = try Data(contentsOf: Self.corpus.appendingPathComponent(name + ".eml"))
        let expectedData = try Data(contentsOf: Self.corpus.appendingPathComponent(name + ".expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])
        let rendered = MailReader.read([UInt8](eml)).inspectJSON().rendered
        let actual = try #require(try JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: Any], "\(rendered)")
        for (key, value) in expected {
            // Problem codes are a set: their order says nothing.
            let (e, a): (Any, Any) = key == "problems"
                ? (((value as? [String]) ?? []).sorted(), ((actual[key] as? [String]) ?? []).sorted())
                : (value, actual[key] ?? NSNull())
            let mismatch = Self.mismatch(e, a, path: key)
            #expect(mismatch == nil, "\(name): \(mismatch ?? "")\n\(rendered)")
        }
    }

    /// Nil when `actual` holds everything `expected` says (objects: the expected keys only).
    static func mismatch(_ expected: Any, _ actual: Any, path: String) -> String? {
        switch (expected, actual) {
        case (let e as [String: Any], let a as [String: Any]):
            for (key, value) in e {
                if let problem = mismatch(value, a[key] ?? NSNull(), path: "\(path).\(key)") { return problem }
            }
            return nil
        case (let e as [Any], let a as [Any]):
            guard e.count == a.count else { return "\(path): expected \(e.count) items, got \(a.count)" }
            for (index, pair) in zip(e, a).enumerated() {
                if let problem = mismatch(pair.0, pair.1, path: "\(path)[\(index)]") { return problem }
            }
            return nil
        case (is NSNull, is NSNull):
            return nil
        default:
            let e = "\(expected)", a = "\(actual)"
            if let eNumber = expected as? NSNumber, let aNumber = actual as? NSNumber { return eNumber == aNumber ? nil : "\(path): expected \(e), got \(a)" }
            if let eText = expected as? String, let aText = actual as? String { return eText == aText ? nil : "\(path): expected \(eText), got \(aText)" }
            return "\(path): expected \(e), got \(a)"
        }
    }
}

/// Inputs that once broke, or were made to break, the reader: each must be read without a
/// crash or a hang, and with consistent attachment sizes.
@Suite struct FuzzRegressionTests {
    static var inputs: [String] {
        let folder = CorpusTests.corpus.appendingPathComponent("fuzz")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test(arguments: inputs)
    func readsWithoutFailing(name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: CorpusTests.corpus.appendingPathComponent("fuzz").appendingPathComponent(name)))
        var decoded = 0
        let message = MailReader.read(bytes) { _, _, chunk in decoded += chunk.count }
        #expect(message.attachments.reduce(0) { $0 + $1.size } == decoded)
        _ = message.inspectJSON().rendered
        _ = ReportSubjectReader.read(String(decoding: bytes, as: UTF8.self))
        _ = EncodedWords.decode(String(decoding: bytes, as: UTF8.self))
    }
}
