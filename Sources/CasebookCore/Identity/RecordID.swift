import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Identifiers for new rows: UUID version 7 (RFC 9562), the creation time in milliseconds followed by 74 random bits.
///
/// Two reasons over `RecordID.make()`. Foundation on Linux opens, reads and closes /dev/urandom for every UUID, three system
/// calls that showed up in every case creation and in bulk work. And random ids land all over every index keyed
/// by them, so each insert dirties another page; ids in creation order land together at the end. They stay
/// unguessable enough for row ids (74 random bits); secrets such as tokens never come from here.
public enum RecordID {
    /// A new time-ordered identifier.
    public static func make(at date: Date = Date()) -> UUID {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = pool.withLock { $0.take16() }
        withUnsafeMutableBytes(of: &bytes) { raw in
            for index in 0..<6 { raw[index] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(index))) }
            raw[6] = 0x70 | (raw[6] & 0x0f)
            raw[8] = 0x80 | (raw[8] & 0x3f)
        }
        return UUID(uuid: bytes)
    }

    private static let pool = Mutex(RandomPool())
}

/// Random bytes read from the system 4 KiB at a time, through one descriptor kept open.
private struct RandomPool: ~Copyable {
    private var buffer = [UInt8](repeating: 0, count: 4096)
    private var used = 4096
    private let descriptor: Int32 = open("/dev/urandom", O_RDONLY | O_CLOEXEC)

    mutating func take16() -> uuid_t {
        if used + 16 > buffer.count { refill() }
        defer { used += 16 }
        return buffer.withUnsafeBytes { raw in raw.loadUnaligned(fromByteOffset: used, as: uuid_t.self) }
    }

    private mutating func refill() {
        var filled = 0
        if descriptor >= 0 {
            filled = buffer.withUnsafeMutableBytes { raw in
                var total = 0
                while total < raw.count {
                    let count = read(descriptor, raw.baseAddress! + total, raw.count - total)
                    if count <= 0 { break }
                    total += count
                }
                return total
            }
        }
        if filled < buffer.count {
            // Without the device (a sandbox without /dev), the standard library's generator asks the kernel directly.
            var generator = SystemRandomNumberGenerator()
            for index in filled..<buffer.count { buffer[index] = generator.next() }
        }
        used = 0
    }
}
