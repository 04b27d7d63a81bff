import Foundation

/// Writes a ZIP archive (PKWARE APPNOTE 6.3) of stored, uncompressed entries: what a privacy export hands a person,
/// opened by every operating system's own file manager. Names are UTF-8 (flag bit 11); no ZIP64, so an archive
/// stays under 4 GiB and 65,535 entries.
public struct ZipArchive: Sendable {
    public enum Failure: Error, Equatable {
        case tooLarge
        case badName(String)
    }

    private struct Central {
        let name: [UInt8]
        let crc: UInt32
        let size: UInt32
        let offset: UInt32
        let time: UInt16
        let date: UInt16
    }

    private var bytes: [UInt8] = []
    private var entries: [Central] = []
    private var names: Set<String> = []

    public init() {}

    /// Adds one file. `name` is a relative path with `/` between folders; it may not climb out (`..`) or start at `/`,
    /// and a name already used gets " (2)", " (3)", … before its extension.
    @discardableResult
    public mutating func add(_ name: String, _ data: Data, modified: Date = Date(timeIntervalSince1970: 0)) throws(Failure) -> String {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              !name.contains("\\"), !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else { throw .badName(name) }
        let unique = uniqueName(name)
        let nameBytes = Array(unique.utf8)
        guard nameBytes.count <= 0xFFFF, entries.count < 0xFFFF,
              UInt64(bytes.count) + UInt64(data.count) + UInt64(nameBytes.count) + 30 < 0xFFFF_FFFF - 0x10_0000 else { throw .tooLarge }
        let (time, date) = Self.dosTime(modified)
        let crc = CRC32.checksum(data)
        let entry = Central(name: nameBytes, crc: crc, size: UInt32(data.count), offset: UInt32(bytes.count), time: time, date: date)
        bytes += le32(0x0403_4B50) + le16(20) + le16(0x0800) + le16(0) + le16(time) + le16(date)
        bytes += le32(crc) + le32(entry.size) + le32(entry.size) + le16(UInt16(nameBytes.count)) + le16(0)
        bytes += nameBytes
        bytes += data
        entries.append(entry)
        names.insert(unique)
        return unique
    }

    /// The finished archive: the entries, the central directory and its end record.
    public func finished() -> Data {
        var out = bytes
        let start = UInt32(out.count)
        for e in entries {
            out += le32(0x0201_4B50) + le16(0x031E) + le16(20) + le16(0x0800) + le16(0) + le16(e.time) + le16(e.date)
            out += le32(e.crc) + le32(e.size) + le32(e.size) + le16(UInt16(e.name.count)) + le16(0) + le16(0) + le16(0) + le16(0)
            // Unix permissions rw-r--r-- in the high half of the external attributes.
            out += le32(0o100644 << 16) + le32(e.offset)
            out += e.name
        }
        let size = UInt32(out.count) - start
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(size) + le32(start) + le16(0)
        return Data(out)
    }

    private func uniqueName(_ name: String) -> String {
        guard names.contains(name) else { return name }
        let dot = name.lastIndex(of: ".").flatMap { $0 > (name.lastIndex(of: "/") ?? name.startIndex) ? $0 : nil } ?? name.endIndex
        var n = 2
        while names.contains(String(name[..<dot]) + " (\(n))" + String(name[dot...])) { n += 1 }
        return String(name[..<dot]) + " (\(n))" + String(name[dot...])
    }

    /// MS-DOS date and time, the only ones a plain ZIP header carries (local fields of UTC; years 1980–2107).
    static func dosTime(_ date: Date) -> (UInt16, UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard let year = c.year, (1980...2107).contains(year) else { return (0, 1 << 5 | 1) }
        let time = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        return (time, UInt16((year - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1)))
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
}

/// CRC-32 as ZIP, PNG and Ethernet use it (reflected polynomial 0xEDB88320).
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The checksum of `data`.
    public static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
