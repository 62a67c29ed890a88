import Foundation
import Testing
@testable import HakenStore

@Suite struct BlobStoreTests {
    func temporaryStore() -> BlobStore {
        BlobStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)"))
    }

    @Test("DEC-8: stored files are content addressed and complete") func testDEC8_storedFilesAreContentAddressedAndComplete() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.root) }
        let bytes = Array("ばそな建設/専門家次郎/8月21日 10:30\r\n".utf8)
        let first = try store.put(bytes, kind: "mail", suffix: ".eml")
        let again = try store.put(bytes, kind: "mail", suffix: ".eml")
        #expect(first == again)
        #expect(first.path.hasPrefix("mail/\(first.sha256.prefix(2))/"))
        #expect(try store.read(first.path) == bytes)

        // The streaming writer names the same content the same way.
        let writer = try store.writer(kind: "mail", suffix: ".eml")
        bytes[..<10].withUnsafeBufferPointer { writer.append($0) }
        bytes[10...].withUnsafeBufferPointer { writer.append($0) }
        #expect(try writer.finish() == first)
        // No temporary files are left behind.
        let folder = store.root.appendingPathComponent("mail")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func anAbandonedWriterLeavesNothing() throws {
        let store = temporaryStore()
        defer { try? FileManager.default.removeItem(at: store.root) }
        do {
            let writer = try store.writer(kind: "files", suffix: ".jpg")
            [1, 2, 3].withUnsafeBufferPointer { writer.append($0) }
        }
        let folder = store.root.appendingPathComponent("files")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
