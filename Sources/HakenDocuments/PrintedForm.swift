/// A form to print, as blocks from top to bottom (#13). The forms (`Forms/`) make one from
/// what HakenDesk knows; `PDFRenderer` lays it out on A4 with pango and cairo. Keeping the
/// form's content apart from the drawing lets a test read what a form says without a PDF,
/// and lets the PDF test check that the same words came out of `pdftotext`.
public struct PrintedForm: Sendable, Equatable, Codable {
    /// Printed at the top, and the PDF's title.
    public var title: String
    /// The document's reference number, in the footer of every page (`DCL-20190821-1A2B3C4D`).
    public var reference: String
    /// When it was made, as people read it (`令和元年9月9日`), in the footer.
    public var madeOn: String
    /// The same moment for the PDF's metadata (`2019-09-09T10:30:00+09:00`), so the same form
    /// made twice is the same file.
    public var madeAt: String
    public var blocks: [FormBlock]

    public init(title: String, reference: String, madeOn: String, madeAt: String, blocks: [FormBlock]) {
        self.title = title
        self.reference = reference
        self.madeOn = madeOn
        self.madeAt = madeAt
        self.blocks = blocks
    }

    /// Every piece of text the form prints, in order (what `pdftotext` should find).
    public var texts: [String] {
        var out = [title]
        for block in blocks { out += block.texts }
        return out
    }
}

public enum FormBlock: Sendable, Equatable, Codable {
    /// `専門家派遣事務局　御中` at the left, and on the same line at the right the date the
    /// signer fills in.
    case addressee(String, date: String)
    /// A line at the right (a date, the one who submits).
    case right(String)
    /// A section heading.
    case heading(String)
    case paragraph(String)
    /// Smaller text (how to send it, what happens next).
    case note(String)
    /// A bordered table of label and value.
    case fields([FormField])
    /// The same, with one or two label-value pairs per row (short values side by side).
    case grid([[FormField]])
    /// A bordered table with a header row; the widths are shares of the line.
    case table(columns: [FormColumn], rows: [[String]])
    /// Boxes to tick (☑ printed for the ones HakenDesk already knows).
    case checks([FormCheck])
    /// A ruled box for handwriting, with its label above.
    case writeIn(label: String, lines: Int)
    /// Name lines with a 印 box each (DAY-4: the three parties' names and seals).
    case seals([SealLine])
    case space(Double)

    var texts: [String] {
        switch self {
        case .addressee(let text, let date): return [text, date]
        case .right(let text), .heading(let text), .paragraph(let text), .note(let text): return [text]
        case .fields(let fields): return fields.flatMap { [$0.label, $0.value] }
        case .grid(let rows): return rows.flatMap { $0.flatMap { [$0.label, $0.value] } }
        case .table(let columns, let rows): return columns.map(\.title) + rows.flatMap { $0 }
        case .checks(let checks): return checks.map(\.label)
        case .writeIn(let label, _): return [label]
        case .seals(let lines): return lines.flatMap { [$0.role] + $0.lines.flatMap { [$0.label, $0.value] } }
        case .space: return []
        }
    }
}

public struct FormField: Sendable, Equatable, Codable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

public struct FormColumn: Sendable, Equatable, Codable {
    public var title: String
    public var share: Double
    public init(_ title: String, share: Double) {
        self.title = title
        self.share = share
    }
}

public struct FormCheck: Sendable, Equatable, Codable {
    public var label: String
    public var checked: Bool
    public init(_ label: String, checked: Bool) {
        self.label = label
        self.checked = checked
    }
}

/// One party's name line: its role, what is pre-filled (name, organisation) and a seal box.
public struct SealLine: Sendable, Equatable, Codable {
    public var role: String
    public var lines: [FormField]
    public init(role: String, lines: [FormField]) {
        self.role = role
        self.lines = lines
    }
}
