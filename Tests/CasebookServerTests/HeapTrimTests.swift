@testable import CasebookServer
import Testing

@Suite("Heap trimming after bulk indexing")
struct HeapTrimTests {
    #if os(Linux)
    @Test("glibc's malloc_trim is found on Linux, so bursts of indexing hand their memory back")
    func found() {
        #expect(HeapTrim.isAvailable)
    }
    #endif
}
