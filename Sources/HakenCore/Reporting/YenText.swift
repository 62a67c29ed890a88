/// Amounts of yen as Japanese pages and forms write them (`1,234,567円`), whatever locale the
/// server runs in: Foundation's grouping follows the process's locale.
public enum YenText {
    /// `1,234,567` (digits grouped by three, a minus sign first).
    public static func grouped(_ amount: Int) -> String {
        let digits = String(amount.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return amount < 0 ? "-" + out : out
    }

    /// `1,234,567円`.
    public static func yen(_ amount: Int) -> String { grouped(amount) + "円" }
}
