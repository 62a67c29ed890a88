/// 法人番号: 13 digits, the first a check digit over the other twelve (国税庁's formula:
/// 9 − (Σ Pn × Qn mod 9), Pn the n-th digit from the right of the base, Qn = 1 for odd n, 2 for even).
public struct CorporateNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let digits: String

    public enum Problem: Error, Equatable, Sendable {
        case notThirteenDigits
        case wrongCheckDigit(expected: Int)
    }

    /// Accepts full-width digits and hyphens or spaces between groups, as people copy it.
    public static func parse(_ text: String) -> Result<CorporateNumber, Problem> {
        var digits = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: digits.unicodeScalars.append(scalar)
            case 0xFF10...0xFF19: digits.unicodeScalars.append((Unicode.Scalar(scalar.value - 0xFF10 + 0x30) ?? scalar))
            case 0x20, 0x2D, 0x3000, 0xFF0D, 0x2010, 0x2212: continue
            default: return .failure(.notThirteenDigits)
            }
        }
        guard digits.count == 13 else { return .failure(.notThirteenDigits) }
        let values = digits.unicodeScalars.map { Int($0.value - 0x30) }
        let expected = checkDigit(base: Array(values.dropFirst()))
        guard values[0] == expected else { return .failure(.wrongCheckDigit(expected: expected)) }
        return .success(CorporateNumber(digits: digits))
    }

    private init(digits: String) { self.digits = digits }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard case .success(let number) = CorporateNumber.parse(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid corporate number"))
        }
        self = number
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }

    /// The check digit for a 12-digit base given most significant digit first.
    public static func checkDigit(base: [Int]) -> Int {
        precondition(base.count == 12)
        var sum = 0
        for (index, digit) in base.reversed().enumerated() {
            sum += digit * (index % 2 == 0 ? 1 : 2)
        }
        return 9 - sum % 9
    }

    public var description: String { digits }
}
