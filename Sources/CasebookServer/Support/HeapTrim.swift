#if canImport(Glibc)
import Glibc
#endif

/// Hands freed heap memory back to the system.
///
/// glibc keeps what a burst of large, short-lived allocations freed (the search indexer's batches of thousands of
/// entries during a bulk load) and the server's resident memory stays at the burst's peak; trimming after such a
/// burst returns it. A no-op where glibc's `malloc_trim` is not there.
enum HeapTrim {
    static func release() {
        _ = trim?(0)
    }

    /// Whether this system's allocator can be trimmed.
    static var isAvailable: Bool { trim != nil }

    private typealias Trim = @convention(c) (Int) -> Int32

    // Swift's Glibc module leaves out <malloc.h>, so the function is looked up once by name.
    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let program = dlopen(nil, RTLD_NOW), let symbol = dlsym(program, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()
}
