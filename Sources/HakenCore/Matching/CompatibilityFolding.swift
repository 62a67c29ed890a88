import Foundation

/// NFKC (Unicode compatibility composition), the form names and subjects are compared in
/// (DEC-4). What people type into them — ASCII, full-width ASCII, the ideographic space,
/// kana and kanji, the dashes — is folded here directly; anything else (`㈱`, `①`,
/// half-width kana, combining marks) goes through Foundation's NFKC, which costs tens of
/// times more and runs for every mail.
public enum CompatibilityFolding {
    public static func nfkcScalars(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20...0x7E, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC, 0x4E00...0x9FFF, 0x301C, 0x2010, 0x2212, 0x2013...0x2015:
                out.append(scalar)
            case 0xFF01...0xFF5E:
                out.append((Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar))
            case 0x3000:
                out.append(" ")
            default:
                return Array(text.precomposedStringWithCompatibilityMapping.unicodeScalars)
            }
        }
        return out
    }

    public static func nfkc(_ text: String) -> String {
        String(String.UnicodeScalarView(nfkcScalars(text)))
    }
}
