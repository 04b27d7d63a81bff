@testable import CasebookServer
import Testing

@Suite("Heap trimming after bulk indexing")
struct HeapTrimTests {
    @Test("glibc's malloc_trim is found on Linux, and trimming leaves the heap usable")
    func trims() {
        #if os(Linux)
        #expect(HeapTrim.isAvailable)
        #endif
        var blocks: [[UInt8]] = (0..<64).map { [UInt8](repeating: UInt8($0), count: 64 * 1024) }
        blocks.removeAll()
        HeapTrim.release()
        let after = [UInt8](repeating: 7, count: 1024)
        #expect(after.allSatisfy { $0 == 7 } && blocks.isEmpty)
    }
}
