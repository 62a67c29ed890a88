/// Windows-31J (CP932), what Japanese Excel reads a CSV as when it has no BOM: through the C
/// library's iconv, which knows the NEC and IBM extensions (①, ㈱, 髙). A character CP932
/// cannot hold (an emoji, a rare kanji) becomes 〓, the Japanese substitute mark, and is counted
/// so the caller can say so; nothing fails.
public enum CP932 {
    public static let substitute: [UInt8] = [0x81, 0xAC]   // 〓

    public static func encode(_ text: String) -> (bytes: [UInt8], substituted: Int) {
        if let whole = Iconv.encode(text, to: "CP932") { return (whole, 0) }
        var bytes: [UInt8] = []
        var substituted = 0
        // Line by line first (one iconv call each), character by character only in a line that fails.
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.offset > 0 { bytes.append(0x0A) }
            if let encoded = Iconv.encode(String(line.element), to: "CP932") {
                bytes += encoded
                continue
            }
            for character in line.element {
                if let encoded = Iconv.encode(String(character), to: "CP932") {
                    bytes += encoded
                } else {
                    bytes += substitute
                    substituted += 1
                }
            }
        }
        return (bytes, substituted)
    }
}
