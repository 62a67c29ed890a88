/// A stored value that does not read as what the column promises.
public struct StoredValueError: Error, CustomStringConvertible {
    public var what: String
    public init(what: String) { self.what = what }
    public var description: String { "unreadable stored value: \(what)" }
}
