/// Charts drawn on the server as SVG (#11: no CDN, no script): presentation attributes only,
/// so the page's CSP (no inline styles) holds. Each chart is an image with a title for screen
/// readers, and the page puts the same numbers in a table beside it (JIS X 8341-3).
enum SVGChart {
    struct Bar {
        var label: String
        var value: Int
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let ink = "#1a1a1c"
    static let bar = "#0031d8"   // DADS blue-900: 4.5:1 and more against white
    static let grid = "#d8d8db"

    /// Horizontal bars, one row per item, the value written after each bar.
    static func bars(_ items: [Bar], title: String, id: String) -> String {
        let rowHeight = 28, labelWidth = 220, barWidth = 360, width = labelWidth + barWidth + 70
        let height = max(1, items.count) * rowHeight + 10
        let top = max(1, items.map(\.value).max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\">"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title>"
        for (index, item) in items.enumerated() {
            let y = index * rowHeight + 5
            let length = item.value == 0 ? 0 : max(2, item.value * barWidth / top)
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 18)\" text-anchor=\"end\" font-size=\"14\" fill=\"\(ink)\">\(escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(length)\" height=\"\(rowHeight - 10)\" fill=\"\(bar)\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 18)\" font-size=\"14\" fill=\"\(ink)\">\(item.value)</text>"
        }
        return svg + "</svg>"
    }

    /// Columns side by side (the months of a fiscal year), the value above each column.
    static func columns(_ items: [Bar], title: String, id: String) -> String {
        let columnWidth = 48, chartHeight = 180, width = max(1, items.count) * columnWidth + 20, height = chartHeight + 50
        let top = max(1, items.map(\.value).max() ?? 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"\(id)-title\" viewBox=\"0 0 \(width) \(height)\" class=\"chart\">"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title>"
        svg += "<line x1=\"10\" y1=\"\(chartHeight + 20)\" x2=\"\(width - 10)\" y2=\"\(chartHeight + 20)\" stroke=\"\(grid)\"/>"
        for (index, item) in items.enumerated() {
            let x = 10 + index * columnWidth
            let length = item.value == 0 ? 0 : max(2, item.value * chartHeight / top)
            svg += "<rect x=\"\(x + 8)\" y=\"\(chartHeight + 20 - length)\" width=\"\(columnWidth - 16)\" height=\"\(length)\" fill=\"\(bar)\"/>"
            svg += "<text x=\"\(x + columnWidth / 2)\" y=\"\(chartHeight + 14 - length)\" text-anchor=\"middle\" font-size=\"13\" fill=\"\(ink)\">\(item.value)</text>"
            svg += "<text x=\"\(x + columnWidth / 2)\" y=\"\(chartHeight + 40)\" text-anchor=\"middle\" font-size=\"14\" fill=\"\(ink)\">\(escape(item.label))</text>"
        }
        return svg + "</svg>"
    }
}
