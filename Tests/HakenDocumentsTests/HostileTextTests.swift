import Foundation
import HakenCore
@testable import HakenDocuments
import HakenTestSupport
import Testing

/// Whatever a party can type ends up on paper: a form draws it without failing, keeps it on the
/// page and loses none of its words (control characters aside, which paper cannot show).
@Suite struct HostileTextTests {
    /// A small deterministic generator, so a failure can be repeated.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    }

    static let pieces = ["資金繰り", "ｻｸﾗ", "Ａ１", "abc", "😀", "👨‍👩‍👧", "é", "e\u{301}", "مرحبا", "שלום", "\u{200B}", "\u{200D}", "\u{FEFF}",
                         "\t", "\n", "\r\n", "\u{0}", "\u{7}", "\u{1B}[31m", "<b>", "&amp;", "%PDF", "\\", "(", ")", "髙", "𠮷", "①", "㈱", "　", " "]

    static func text(_ generator: inout Generator, length: Int) -> String {
        var out = ""
        while out.unicodeScalars.count < length { out += generator.pick(pieces) }
        return out
    }

    @Test("#13: random text of every kind in every free field draws, and each form stays within A4")
    func randomText() throws {
        var generator = Generator(state: 20261201)
        for round in 0..<12 {
            let length = [1, 40, 400, 2000][round % 4]
            let report = ExpertReport(actualStart: .midnight, actualEnd: .midnight, work: Self.text(&generator, length: length),
                                      nextSteps: Self.text(&generator, length: length / 2), travelExpensesYen: Int(generator.next() % 1_000_000))
            var dispatch = SampleForms.dispatch
            dispatch.businessName = Self.text(&generator, length: 30)
            dispatch.schedule.place = Self.text(&generator, length: 200)
            let forms = [
                ExpertReportForm.make(dispatch, report: report, filedAt: LocalDateTime(date: dispatch.schedule.date, time: .midnight), made: SampleForms.made),
                CertificationForm.make(dispatch, certification: Certification(times: .disputed(reason: Self.text(&generator, length: length)), rating: 3,
                                                                              comment: Self.text(&generator, length: length)),
                                       expertTimes: nil, certifiedAt: LocalDateTime(date: dispatch.schedule.date, time: .midnight), made: SampleForms.made),
            ]
            for form in forms {
                let bytes = try PDFRenderer.render(form)
                #expect(bytes.starts(with: Array("%PDF-".utf8)), "round \(round)")
            }
        }
    }

    @Test("#13: a word with no break in it wraps by character, and its letters all come back")
    func longWord() throws {
        let word = String(repeating: "x", count: 3_000)
        let report = ExpertReport(actualStart: .midnight, actualEnd: .midnight, work: word, nextSteps: nil, travelExpensesYen: 0)
        let bytes = try PDFRenderer.render(ExpertReportForm.make(SampleForms.dispatch, report: report,
                                                                  filedAt: LocalDateTime(date: SampleForms.dispatch.schedule.date, time: .midnight),
                                                                  made: SampleForms.made))
        // It runs over a page break (the footer stands between its halves); every letter comes back.
        let text = try Poppler.text(of: bytes)
        #expect(text.filter { $0 == "x" }.count == word.count)
    }

    @Test("#13: control characters are left off the paper, and the text after them is kept")
    func controlCharacters() throws {
        let report = ExpertReport(actualStart: .midnight, actualEnd: .midnight, work: "前半\u{0}後半\u{7}終わり\u{1B}です", nextSteps: nil, travelExpensesYen: 0)
        let bytes = try PDFRenderer.render(ExpertReportForm.make(SampleForms.dispatch, report: report,
                                                                  filedAt: LocalDateTime(date: SampleForms.dispatch.schedule.date, time: .midnight),
                                                                  made: SampleForms.made))
        #expect(Poppler.squeezed(try Poppler.text(of: bytes)).contains("前半後半終わりです"))
    }

    @Test("NOTE-3: an audit entry longer than a page is cut on paper with a note, never drawn over the footer")
    func endlessAuditEntry() throws {
        let entry = DispatchRecordForm.Entry(seq: 1, at: "2019-08-21T10:41:00+09:00", actor: "mail", action: "mail.process",
                                             details: String(repeating: "件名=とても長い件名 ", count: 2_000), hash: String(repeating: "a", count: 64))
        let form = DispatchRecordForm.make(.init(dispatch: SampleForms.dispatch, state: "完了", deadline: SampleForms.dispatch.schedule.date, cancelReason: nil,
                                                 checklist: EvidenceChecklist(), mails: [], decisions: [], entries: [entry, entry]), made: SampleForms.made)
        let bytes = try PDFRenderer.render(form)
        let text = Poppler.squeezed(try Poppler.text(of: bytes))
        #expect(text.components(separatedBy: "（以下略：全文は監査ログ）").count == 3, "both entries cut, the note readable")
        #expect(text.contains(String(repeating: "a", count: 64)))
        #expect(try Poppler.pages(of: bytes) <= 3, "each entry within a page")
    }
}
