import CZlib
import Foundation

/// A zip archive read from its central directory (as Zendesk, Freshdesk and every desktop hand exports over): stored
/// and deflated entries, ZIP64 for archives and entries past 4 GB. Only what unpacking an export needs; no writing.
struct ZipReader {
    /// One file in the archive.
    struct Entry: Equatable {
        let name: String
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let headerOffset: Int
        let encrypted: Bool

        var isFolder: Bool { name.hasSuffix("/") }
    }

    /// Why an archive cannot be read.
    enum Fault: Error, Equatable, CustomStringConvertible {
        case notZip
        case damaged(String)
        case unsupported(String)

        var description: String {
            switch self {
            case .notZip: "it is not a zip archive"
            case let .damaged(why): "the archive is damaged: \(why)"
            case let .unsupported(why): "the archive uses \(why), which cannot be unpacked here"
            }
        }
    }

    let data: Data
    let entries: [Entry]

    init(_ data: Data) throws(Fault) {
        self.data = data
        let bytes = Bytes(data: data)
        guard let end = bytes.lastIndex(of: 0x0605_4B50, within: 65_557) else { throw .notZip }
        var count = Int(bytes.u16(end + 10)), size = Int(bytes.u32(end + 12)), offset = Int(bytes.u32(end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: a locator just before the end record points at the larger end record.
            guard end >= 20, bytes.u32(end - 20) == 0x0706_4B50 else { throw .damaged("its ZIP64 locator is missing") }
            let record = Int(clamping: bytes.u64(end - 12))
            guard record + 56 <= data.count, bytes.u32(record) == 0x0606_4B50 else { throw .damaged("its ZIP64 end record is missing") }
            (count, size, offset) = (Int(clamping: bytes.u64(record + 32)), Int(clamping: bytes.u64(record + 40)), Int(clamping: bytes.u64(record + 48)))
        }
        guard offset >= 0, size >= 0, offset + size <= data.count else { throw .damaged("its directory lies outside the file") }
        var entries: [Entry] = []
        var at = offset
        for _ in 0..<count {
            guard at + 46 <= offset + size, bytes.u32(at) == 0x0201_4B50 else { throw .damaged("entry \(entries.count + 1) of its directory is unreadable") }
            let nameLength = Int(bytes.u16(at + 28)), extraLength = Int(bytes.u16(at + 30)), commentLength = Int(bytes.u16(at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= data.count else { throw .damaged("entry \(entries.count + 1) runs past the end") }
            let flags = bytes.u16(at + 8)
            // Bit 11: the name is UTF-8; older tools wrote CP437, which is ASCII for the names exports use.
            let nameBytes = data[data.startIndex + at + 46..<data.startIndex + at + 46 + nameLength]
            let name = String(decoding: nameBytes, as: UTF8.self)
            var (compressed, plain, local) = (Int(bytes.u32(at + 20)), Int(bytes.u32(at + 24)), Int(bytes.u32(at + 42)))
            if compressed == 0xFFFF_FFFF || plain == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
                (plain, compressed, local) = Self.zip64Sizes(bytes, extra: at + 46 + nameLength, length: extraLength, plain: plain, compressed: compressed, local: local)
            }
            entries.append(Entry(name: name, method: bytes.u16(at + 10), crc: bytes.u32(at + 16), compressedSize: compressed, size: plain,
                                 headerOffset: local, encrypted: flags & 1 != 0))
            at += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The sizes and offset a ZIP64 extra field carries in place of those that did not fit in 32 bits.
    private static func zip64Sizes(_ bytes: Bytes, extra: Int, length: Int, plain: Int, compressed: Int, local: Int) -> (Int, Int, Int) {
        var (plain, compressed, local) = (plain, compressed, local)
        var at = extra
        while at + 4 <= extra + length {
            let (id, size) = (bytes.u16(at), Int(bytes.u16(at + 2)))
            if id == 0x0001 {
                var field = at + 4
                if plain == 0xFFFF_FFFF { plain = Int(clamping: bytes.u64(field)); field += 8 }
                if compressed == 0xFFFF_FFFF { compressed = Int(clamping: bytes.u64(field)); field += 8 }
                if local == 0xFFFF_FFFF { local = Int(clamping: bytes.u64(field)) }
                break
            }
            at += 4 + size
        }
        return (plain, compressed, local)
    }

    /// Writes `entry`'s bytes to `handle` a piece at a time, checking its size and CRC as it goes.
    func extract(_ entry: Entry, to handle: FileHandle) throws(Fault) {
        guard !entry.encrypted else { throw .unsupported("encryption (\(entry.name))") }
        let bytes = Bytes(data: data)
        let local = entry.headerOffset
        guard local + 30 <= data.count, bytes.u32(local) == 0x0403_4B50 else { throw .damaged("\(entry.name) has no header") }
        let start = local + 30 + Int(bytes.u16(local + 26)) + Int(bytes.u16(local + 28))
        guard entry.compressedSize >= 0, start + entry.compressedSize <= data.count else { throw .damaged("\(entry.name) runs past the end") }
        let stored = data[data.startIndex + start..<data.startIndex + start + entry.compressedSize]
        var sink = Sink(handle: handle, expected: entry.size)
        switch entry.method {
        case 0:
            // A piece at a time, so a large stored file is never copied whole.
            for start in stride(from: stored.startIndex, to: stored.endIndex, by: 1 << 20) {
                try sink.write(stored[start..<min(start + (1 << 20), stored.endIndex)], name: entry.name)
            }
        case 8: try Self.inflate(stored, into: &sink, name: entry.name)
        default: throw .unsupported("compression method \(entry.method) (\(entry.name))")
        }
        guard sink.written == entry.size else { throw .damaged("\(entry.name) is \(sink.written) bytes, not \(entry.size)") }
        guard sink.crc == entry.crc else { throw .damaged("\(entry.name) does not match its checksum") }
    }

    /// Raw deflate (no zlib header), as zip stores it.
    private static func inflate(_ input: Data, into sink: inout Sink, name: String) throws(Fault) {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw .unsupported("a zlib that would not start") }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: 256 * 1024)
        var status = Z_OK
        var fault: Fault?
        input.withUnsafeBytes { (source: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            while status == Z_OK {
                let produced: Int = output.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return buffer.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else {
                    fault = .damaged("\(name) cannot be inflated")
                    return
                }
                do throws(Fault) { try sink.write(output[0..<produced], name: name) } catch {
                    fault = error
                    return
                }
                if status == Z_OK, produced == 0, stream.avail_in == 0 {
                    fault = .damaged("\(name) ends early")
                    return
                }
            }
        }
        if let fault { throw fault }
    }

    /// Where an entry's bytes go: counted, checksummed, and refused past the size the directory gave (a zip bomb).
    private struct Sink {
        let handle: FileHandle
        let expected: Int
        var written = 0
        var crc: UInt32 = 0

        mutating func write<Bytes: DataProtocol>(_ bytes: Bytes, name: String) throws(Fault) {
            guard written + bytes.count <= expected else { throw .damaged("\(name) is larger than its directory says") }
            let chunk = Data(bytes)
            crc = chunk.withUnsafeBytes { UInt32(crc32(uLong(crc), $0.bindMemory(to: Bytef.self).baseAddress, uInt(chunk.count))) }
            do { try handle.write(contentsOf: chunk) } catch { throw .damaged("\(name) could not be written: \(error)") }
            written += bytes.count
        }
    }

    /// Little-endian numbers at byte offsets, bounds checked (a short read is zero, and the callers check sizes).
    private struct Bytes {
        let data: Data

        func byte(_ at: Int) -> UInt64 {
            at >= 0 && at < data.count ? UInt64(data[data.startIndex + at]) : 0
        }

        func u16(_ at: Int) -> UInt16 { UInt16(byte(at) | byte(at + 1) << 8) }
        func u32(_ at: Int) -> UInt32 { UInt32(byte(at) | byte(at + 1) << 8 | byte(at + 2) << 16 | byte(at + 3) << 24) }
        func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }

        /// The last place `signature` starts within the final `window` bytes.
        func lastIndex(of signature: UInt32, within window: Int) -> Int? {
            var at = data.count - 22
            let floor = max(0, data.count - window)
            while at >= floor {
                if u32(at) == signature { return at }
                at -= 1
            }
            return nil
        }
    }
}
