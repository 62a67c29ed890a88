/// A list a page shows only when it has something in it. Leaf's `#if(list):` is true for an
/// empty array (any value that is not nil counts), so an empty list encodes as nil: the
/// template's `#else:` ("… はありません") is then what an empty queue shows.
@propertyWrapper
struct OmitEmpty<Element: Encodable>: Encodable {
    var wrappedValue: [Element]

    init(wrappedValue: [Element]) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if wrappedValue.isEmpty {
            try container.encodeNil()
        } else {
            try container.encode(wrappedValue)
        }
    }
}

extension OmitEmpty: Sendable where Element: Sendable {}
