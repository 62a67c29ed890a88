import CPango

/// The first pass: shapes every text with pango, measures it and places the blocks page by
/// page. Text taller than what is left of a page is split between lines (a clipped draw of the
/// same layout on each page), so a long report never runs off the paper.
final class Composer {
    enum Style {
        case body, small, title, heading, cellHeading, cell, seal

        var font: String {
            switch self {
            case .body: return "\(PDFRenderer.bodyFamily) 11"
            case .small: return "\(PDFRenderer.bodyFamily) 9"
            case .title: return "\(PDFRenderer.headingFamily) 18"
            case .heading: return "\(PDFRenderer.headingFamily) 12"
            case .cellHeading: return "\(PDFRenderer.headingFamily) 10"
            case .cell: return "\(PDFRenderer.bodyFamily) 10.5"
            case .seal: return "\(PDFRenderer.bodyFamily) 10"
            }
        }
    }

    struct Shaped {
        var layout: OpaquePointer
        var width: Double
        var height: Double
    }

    let pango: OpaquePointer
    private(set) var pages: [[Op]] = [[]]
    private var y = Page.top
    private var layouts: [OpaquePointer] = []
    private var fonts: [Style: OpaquePointer] = [:]
    /// No hyphen is ever inserted where a line breaks inside a word: on a form, `hak-en.example.jp`
    /// or a hash with a hyphen in it would be read as written.
    private let attributes: OpaquePointer

    init(pango: OpaquePointer) {
        self.pango = pango
        attributes = pango_attr_list_new()
        pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(0))
    }

    func release() {
        pango_attr_list_unref(attributes)
        for layout in layouts { g_object_unref(UnsafeMutableRawPointer(layout)) }
        for font in fonts.values { pango_font_description_free(font) }
        layouts = []
        fonts = [:]
    }

    // MARK: Shaping

    /// What paper can show: C0 control characters (a NUL would end the C string and lose the rest)
    /// and DEL are left out; line ends and tabs stay.
    static func printable(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\r" { continue }
            if (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7F { continue }
            out.append(scalar)
        }
        return String(out)
    }

    // `pango_layout_new` and `pango_font_description_from_string` never return NULL (GLib aborts
    // when memory runs out instead), and nothing a request sends reaches them but the text.
    func shape(_ text: String, _ style: Style, width: Double, align: PangoAlignment = PANGO_ALIGN_LEFT) -> Shaped {
        let layout = pango_layout_new(pango)!
        layouts.append(layout)
        pango_layout_set_font_description(layout, font(style))
        pango_layout_set_width(layout, Int32(max(1, width) * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        pango_layout_set_attributes(layout, attributes)
        pango_layout_set_alignment(layout, align)
        if style == .body || style == .cell || style == .small { pango_layout_set_line_spacing(layout, 1.3) }
        pango_layout_set_text(layout, Self.printable(text), -1)
        var w: Int32 = 0
        var h: Int32 = 0
        pango_layout_get_size(layout, &w, &h)
        return Shaped(layout: layout, width: Double(w) / Double(PANGO_SCALE), height: Double(h) / Double(PANGO_SCALE))
    }

    private func font(_ style: Style) -> OpaquePointer {
        if let font = fonts[style] { return font }
        let font = pango_font_description_from_string(style.font)!
        fonts[style] = font
        return font
    }

    /// The bottom of each line of a layout, from its top.
    func lineBottoms(_ shaped: Shaped) -> [Double] {
        guard let iter = pango_layout_get_iter(shaped.layout) else { return [shaped.height] }
        defer { pango_layout_iter_free(iter) }
        var bottoms: [Double] = []
        repeat {
            var top: Int32 = 0
            var bottom: Int32 = 0
            pango_layout_iter_get_line_yrange(iter, &top, &bottom)
            bottoms.append(Double(bottom) / Double(PANGO_SCALE))
        } while pango_layout_iter_next_line(iter) != 0
        return bottoms
    }

    // MARK: Pages

    var left: Double { Page.margin }
    var room: Double { Page.bottom - y }

    func newPage() {
        pages.append([])
        y = Page.top
    }

    /// Starts a new page unless `height` still fits (and something is on this one already).
    func need(_ height: Double) {
        if height > room && y > Page.top { newPage() }
    }

    func add(_ op: Op) { pages[pages.count - 1].append(op) }

    /// Places text at the left margin, splitting it over pages between lines when it must.
    func flow(_ shaped: Shaped, x: Double, grey: Double = 0) {
        if shaped.height <= room {
            add(.text(shaped.layout, x: x, y: y, grey: grey, clip: nil))
            y += shaped.height
            return
        }
        let bottoms = lineBottoms(shaped)
        var shown = 0.0
        while shown < shaped.height - 0.01 {
            // The last line not yet shown that ends within this page; at least one line per page.
            let end = bottoms.last { $0 > shown && $0 - shown <= room } ?? bottoms.first { $0 > shown } ?? shaped.height
            add(.text(shaped.layout, x: x, y: y - shown, grey: grey, clip: (top: y, bottom: y + (end - shown) + 0.5)))
            y += end - shown
            shown = end
            if shown < shaped.height - 0.01 { newPage() }
        }
    }

    // MARK: Blocks

    func compose(_ form: PrintedForm) {
        let title = shape(form.title, .title, width: Page.contentWidth, align: PANGO_ALIGN_CENTER)
        add(.text(title.layout, x: left, y: y, grey: 0, clip: nil))
        y += title.height + 12
        for block in form.blocks { place(block) }
    }

    func place(_ block: FormBlock) {
        switch block {
        case .addressee(let text, let date):
            let shaped = shape(text, .body, width: Page.contentWidth * 0.55)
            let right = shape(date, .body, width: Page.contentWidth * 0.45, align: PANGO_ALIGN_RIGHT)
            need(max(shaped.height, right.height))
            add(.text(right.layout, x: left + Page.contentWidth * 0.55, y: y, grey: 0, clip: nil))
            flow(shaped, x: left)
            y += 8
        case .right(let text):
            let shaped = shape(text, .body, width: Page.contentWidth, align: PANGO_ALIGN_RIGHT)
            need(shaped.height)
            flow(shaped, x: left)
            y += 4
        case .heading(let text):
            let shaped = shape(text, .heading, width: Page.contentWidth)
            // A heading stays with at least two lines of what follows it.
            need(shaped.height + 40)
            y += 4
            flow(shaped, x: left)
            add(.line(x1: left, y1: y + 1.5, x2: left + Page.contentWidth, y2: y + 1.5, width: 0.6, dashed: false))
            y += 6
        case .paragraph(let text):
            let shaped = shape(text, .body, width: Page.contentWidth)
            need(min(shaped.height, 30))
            flow(shaped, x: left)
            y += 6
        case .note(let text):
            let shaped = shape(text, .small, width: Page.contentWidth)
            need(min(shaped.height, 24))
            flow(shaped, x: left, grey: 0.2)
            y += 4
        case .fields(let fields):
            placeGrid(fields.map { [$0] }, labelShare: labelWidth)
            y += 8
        case .grid(let rows):
            placeGrid(rows, labelShare: 82)
            y += 8
        case .table(let columns, let rows):
            placeTable(columns, rows)
            y += 8
        case .checks(let checks):
            for check in checks {
                let shaped = shape(check.label, .body, width: Page.contentWidth - 18)
                need(shaped.height)
                add(.rect(x: left + 1, y: y + 3, w: 9, h: 9, fill: nil, line: 0.7))
                if check.checked { add(.tick(x: left + 1, y: y + 3, size: 9)) }
                flow(shaped, x: left + 18)
                y += 3
            }
            y += 5
        case .writeIn(let label, let lines):
            let shaped = shape(label, .body, width: Page.contentWidth)
            let rule = 21.0
            let height = Double(max(1, lines)) * rule + 6
            need(shaped.height + 4 + height)
            flow(shaped, x: left)
            y += 4
            add(.rect(x: left, y: y, w: Page.contentWidth, h: height, fill: nil, line: 0.7))
            for line in stride(from: 1, to: lines, by: 1) {
                let ruleY = y + 3 + Double(line) * rule
                add(.line(x1: left + 6, y1: ruleY, x2: left + Page.contentWidth - 6, y2: ruleY, width: 0.4, dashed: true))
            }
            y += height + 10
        case .seals(let lines):
            // The parties' lines stay together on one page when they fit on one.
            need(Double(lines.count) * 54)
            for line in lines { placeSeal(line) }
            y += 8
        case .space(let points):
            y += max(0, min(points, room))
        }
    }

    private let labelWidth = 118.0
    private let pad = 5.0

    /// Rows of one or two label-value cells; a row of one spans the line.
    func placeGrid(_ rows: [[FormField]], labelShare: Double) {
        for row in rows where !row.isEmpty {
            let cellWidth = Page.contentWidth / Double(row.count)
            let cells = row.map { field in
                (shape(field.label, .cellHeading, width: labelShare - 2 * pad), shape(field.value, .cell, width: cellWidth - labelShare - 2 * pad))
            }
            let height = (cells.map { max($0.0.height, $0.1.height) }.max() ?? 0) + 2 * pad
            need(height)
            for (index, cell) in cells.enumerated() {
                let x = left + Double(index) * cellWidth
                add(.rect(x: x, y: y, w: labelShare, h: height, fill: 0.92, line: 0.6))
                add(.rect(x: x + labelShare, y: y, w: cellWidth - labelShare, h: height, fill: nil, line: 0.6))
                add(.text(cell.0.layout, x: x + pad, y: y + pad, grey: 0, clip: nil))
                add(.text(cell.1.layout, x: x + labelShare + pad, y: y + pad, grey: 0, clip: nil))
            }
            y += height
        }
    }

    func placeTable(_ columns: [FormColumn], _ rows: [[String]]) {
        let total = columns.reduce(0) { $0 + max(0, $1.share) }
        guard total > 0 else { return }
        let widths = columns.map { Page.contentWidth * max(0, $0.share) / total }
        func row(_ cells: [String], _ style: Style) -> (shaped: [Shaped], height: Double) {
            let shaped = widths.enumerated().map { index, width in
                shape(index < cells.count ? cells[index] : "", style, width: width - 2 * 4)
            }
            return (shaped, (shaped.map(\.height).max() ?? 0) + 2 * 4)
        }
        func draw(_ row: (shaped: [Shaped], height: Double), fill: Double?) {
            // A row never splits; one taller than a whole page (the forms cut their long values
            // first) is clipped at the page's foot rather than drawn over the footer.
            let height = min(row.height, room)
            var x = left
            for (index, cell) in row.shaped.enumerated() {
                add(.rect(x: x, y: y, w: widths[index], h: height, fill: fill, line: 0.6))
                add(.text(cell.layout, x: x + 4, y: y + 4, grey: 0, clip: height < row.height ? (top: y, bottom: y + height) : nil))
                x += widths[index]
            }
            y += height
        }
        let header = row(columns.map(\.title), .cellHeading)
        let body = rows.map { row($0, .cell) }
        need(header.height + (body.first?.height ?? 0))
        draw(header, fill: 0.92)
        for item in body {
            if item.height > room {
                newPage()
                draw(header, fill: 0.92)
            }
            draw(item, fill: nil)
        }
    }

    func placeSeal(_ seal: SealLine) {
        let sealBox = 54.0
        let middleWidth = Page.contentWidth - labelWidth - sealBox
        let role = shape(seal.role, .cellHeading, width: labelWidth - 2 * pad)
        var lines: [(label: Shaped, value: Shaped)] = []
        for field in seal.lines {
            lines.append((shape(field.label, .cell, width: 56), shape(field.value.isEmpty ? " " : field.value, .cell, width: middleWidth - 2 * pad - 60)))
        }
        let linesHeight = lines.reduce(0) { $0 + max($1.label.height, $1.value.height) + 9 }
        let height = max(sealBox, max(role.height, linesHeight) + 2 * pad)
        need(height)
        add(.rect(x: left, y: y, w: labelWidth, h: height, fill: 0.92, line: 0.6))
        add(.text(role.layout, x: left + pad, y: y + pad, grey: 0, clip: nil))
        add(.rect(x: left + labelWidth, y: y, w: middleWidth, h: height, fill: nil, line: 0.6))
        var lineY = y + pad + 2
        for line in lines {
            let lineHeight = max(line.label.height, line.value.height)
            add(.text(line.label.layout, x: left + labelWidth + pad, y: lineY, grey: 0.25, clip: nil))
            add(.text(line.value.layout, x: left + labelWidth + pad + 60, y: lineY, grey: 0, clip: nil))
            add(.line(x1: left + labelWidth + pad + 58, y1: lineY + lineHeight + 2, x2: left + labelWidth + middleWidth - pad,
                      y2: lineY + lineHeight + 2, width: 0.4, dashed: true))
            lineY += lineHeight + 9
        }
        let boxX = left + labelWidth + middleWidth
        add(.rect(x: boxX, y: y, w: sealBox, h: height, fill: nil, line: 0.6))
        let mark = shape("印", .seal, width: sealBox, align: PANGO_ALIGN_CENTER)
        add(.circle(x: boxX + sealBox / 2, y: y + height / 2, r: 19))
        add(.text(mark.layout, x: boxX, y: y + height / 2 - mark.height / 2, grey: 0.55, clip: nil))
        y += height
    }

    /// The footer of page `page`: the reference number, the day it was made, the page count.
    func footer(_ form: PrintedForm, page: Int, of total: Int) -> [Op] {
        let footerY = Page.height - 42
        let reference = shape("整理番号 \(form.reference)　作成日 \(form.madeOn)", .small, width: Page.contentWidth * 0.75)
        let count = shape("\(page) / \(total)", .small, width: Page.contentWidth * 0.25, align: PANGO_ALIGN_RIGHT)
        return [
            .line(x1: left, y1: footerY - 4, x2: left + Page.contentWidth, y2: footerY - 4, width: 0.4, dashed: false),
            .text(reference.layout, x: left, y: footerY, grey: 0.2, clip: nil),
            .text(count.layout, x: left + Page.contentWidth * 0.75, y: footerY, grey: 0.2, clip: nil),
        ]
    }
}
