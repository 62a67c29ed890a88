extension Array where Element: Sendable {
    /// `map` with each element in a task of its own, so CPU work (reading mails, rendering
    /// receipts) uses every core; the results keep the elements' order.
    public func concurrentMap<T: Sendable>(_ transform: @escaping @Sendable (Element) -> T) async -> [T] {
        await withTaskGroup(of: (Int, T).self) { group in
            for (index, element) in enumerated() { group.addTask { (index, transform(element)) } }
            var results = [T?](repeating: nil, count: count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }   // every index was filled
        }
    }
}
