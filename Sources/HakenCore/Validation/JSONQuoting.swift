/// JSON string quoting shared by the audit log's canonical form and `mail inspect`'s
/// output, so both escape exactly the same characters.
public enum JSONQuoting {
    public static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Almost no value needs escaping: then it is appended whole, not scalar by scalar (the
        // audit chain quotes every field of every entry). 0xE2 leads U+2028/2029, so any text
        // with it takes the careful path below.
        var copy = text
        let plain = copy.withUTF8 { bytes in !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 } }
        if plain {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x2028...0x2029).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    public static func quoted(_ text: String) -> String {
        var out = ""
        quote(text, into: &out)
        return out
    }
}
