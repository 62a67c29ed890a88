import CPango
import Foundation

/// Lays a `PrintedForm` out on A4 and writes it as PDF: pango shapes and breaks the Japanese
/// text (kinsoku, metrics from the font itself), cairo draws it and embeds a subset of the font.
/// Two passes: the blocks are measured and placed page by page first, so every footer can say
/// "1 / 3"; then the pages are drawn.
public enum PDFRenderer {
    public enum Failure: Error, CustomStringConvertible {
        case fontMissing(String)
        case cairo(String)

        public var description: String {
            switch self {
            case .fontMissing(let family): return "PDF の作成に必要なフォント \(family) がありません（Debian: fonts-ipaexfont-mincho fonts-ipaexfont-gothic）"
            case .cairo(let status): return "PDF を作成できませんでした（cairo: \(status)）"
            }
        }
    }

    /// IPAex (fonts-ipaexfont): a TrueType font with Japanese metrics, the one public offices'
    /// own forms use, and one that ReportLab can read too, so the benchmark draws with the same font.
    static let bodyFamily = "IPAexMincho"
    static let headingFamily = "IPAexGothic"

    /// Checked once per process: pango would silently fall back to another font (or to boxes).
    static let fontProblem: String? = {
        guard let map = pango_cairo_font_map_get_default(), let context = pango_font_map_create_context(map) else { return "pango" }
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        for family in [bodyFamily, headingFamily] {
            guard let description = pango_font_description_from_string("\(family) 10") else { return family }
            defer { pango_font_description_free(description) }
            guard let font = pango_context_load_font(context, description) else { return family }
            defer { g_object_unref(UnsafeMutableRawPointer(font)) }
            guard let loaded = pango_font_describe(font) else { return family }
            defer { pango_font_description_free(loaded) }
            guard let name = pango_font_description_get_family(loaded), String(cString: name) == family else { return family }
        }
        return nil
    }()

    public static func render(_ form: PrintedForm) throws -> [UInt8] {
        if let missing = fontProblem { throw Failure.fontMissing(missing) }
        let sink = ByteSink()
        let retained = Unmanaged.passRetained(sink)
        defer { retained.release() }
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, retained.toOpaque(), Page.width, Page.height) else { throw Failure.cairo("surface") }
        defer { cairo_surface_destroy(surface) }
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, form.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "HakenDesk")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, form.reference)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, form.madeAt)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, form.madeAt)
        guard let cr = cairo_create(surface) else { throw Failure.cairo("context") }
        defer { cairo_destroy(cr) }
        guard let pango = pango_cairo_create_context(cr) else { throw Failure.cairo("pango") }
        defer { g_object_unref(UnsafeMutableRawPointer(pango)) }
        // Font sizes in points, as on paper (pango's default of 96 dpi would print 10.5 pt as 14).
        pango_cairo_context_set_resolution(pango, 72)

        let composer = Composer(pango: pango)
        defer { composer.release() }
        composer.compose(form)
        let total = composer.pages.count
        for (index, page) in composer.pages.enumerated() {
            for op in page { draw(op, on: cr) }
            for op in composer.footer(form, page: index + 1, of: total) { draw(op, on: cr) }
            cairo_show_page(cr)
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw Failure.cairo(String(cString: cairo_status_to_string(status))) }
        return sink.bytes
    }

    static func draw(_ op: Op, on cr: OpaquePointer) {
        switch op {
        case .text(let text, let x, let y, let grey, let clip):
            cairo_save(cr)
            if let clip {
                cairo_rectangle(cr, 0, clip.top, Page.width, clip.bottom - clip.top)
                cairo_clip(cr)
            }
            cairo_set_source_rgb(cr, grey, grey, grey)
            cairo_move_to(cr, x, y)
            pango_cairo_show_layout(cr, text)
            cairo_restore(cr)
        case .rect(let x, let y, let w, let h, let fill, let line):
            cairo_new_path(cr)
            cairo_rectangle(cr, x, y, w, h)
            if let fill {
                cairo_set_source_rgb(cr, fill, fill, fill)
                if line != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
            }
            if let line {
                cairo_set_source_rgb(cr, 0, 0, 0)
                cairo_set_line_width(cr, line)
                cairo_stroke(cr)
            }
        case .line(let x1, let y1, let x2, let y2, let width, let dashed):
            cairo_save(cr)
            cairo_new_path(cr)
            cairo_set_source_rgb(cr, dashed ? 0.45 : 0, dashed ? 0.45 : 0, dashed ? 0.45 : 0)
            cairo_set_line_width(cr, width)
            if dashed { [2.0, 2.0].withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, 2, 0) } }
            cairo_move_to(cr, x1, y1)
            cairo_line_to(cr, x2, y2)
            cairo_stroke(cr)
            cairo_restore(cr)
        case .circle(let x, let y, let r):
            cairo_save(cr)
            cairo_new_path(cr)
            cairo_set_source_rgb(cr, 0.55, 0.55, 0.55)
            cairo_set_line_width(cr, 0.6)
            [1.5, 1.5].withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, 2, 0) }
            cairo_arc(cr, x, y, r, 0, 2 * Double.pi)
            cairo_stroke(cr)
            cairo_restore(cr)
        case .tick(let x, let y, let size):
            cairo_save(cr)
            cairo_new_path(cr)
            cairo_set_source_rgb(cr, 0, 0, 0)
            cairo_set_line_width(cr, 1.2)
            cairo_move_to(cr, x + size * 0.18, y + size * 0.5)
            cairo_line_to(cr, x + size * 0.42, y + size * 0.78)
            cairo_line_to(cr, x + size * 0.85, y + size * 0.2)
            cairo_stroke(cr)
            cairo_restore(cr)
        }
    }
}

/// A4 in points, with 20 mm margins.
enum Page {
    static let width = 595.2756
    static let height = 841.8898
    static let margin = 56.6929
    static let top = 45.0
    static let bottom = height - 58.0
    static var contentWidth: Double { width - 2 * margin }
}

/// One thing drawn on a page. Text is a pango layout already shaped in the first pass.
enum Op {
    case text(OpaquePointer, x: Double, y: Double, grey: Double, clip: (top: Double, bottom: Double)?)
    case rect(x: Double, y: Double, w: Double, h: Double, fill: Double?, line: Double?)
    case line(x1: Double, y1: Double, x2: Double, y2: Double, width: Double, dashed: Bool)
    case circle(x: Double, y: Double, r: Double)
    case tick(x: Double, y: Double, size: Double)
}

final class ByteSink {
    var bytes: [UInt8] = []
    init() { bytes.reserveCapacity(64 * 1024) }
}
