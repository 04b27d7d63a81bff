import CasebookCore
import Foundation
import Testing

@Suite("ZIP archives")
struct ZipArchiveTests {
    @Test("CRC-32 matches the standard check value")
    func crc() {
        #expect(CRC32.checksum(Data("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(Data()) == 0)
    }

    @Test("an archive has a local header per entry, a central directory and an end record that point at each other")
    func layout() throws {
        var zip = ZipArchive()
        try zip.add("person.json", Data("{}".utf8), modified: Date(timeIntervalSince1970: 1_700_000_000))
        try zip.add("attachments/12/ñandú.txt", Data("hola".utf8))
        let data = [UInt8](zip.finished())
        #expect(Array(data.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])
        let end = data.count - 22
        #expect(Array(data[end..<end + 4]) == [0x50, 0x4B, 0x05, 0x06])
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        #expect(u16(end + 10) == 2)
        let directory = u32(end + 16)
        #expect(directory + u32(end + 12) == end)
        #expect(Array(data[directory..<directory + 4]) == [0x50, 0x4B, 0x01, 0x02])
        // The second entry's name is UTF-8, flagged as such, and its local header is where the directory says.
        let secondLocal = u32(directory + 46 + "person.json".utf8.count + 42)
        #expect(secondLocal > 0 && Array(data[secondLocal..<secondLocal + 4]) == [0x50, 0x4B, 0x03, 0x04])
        #expect(u16(secondLocal + 6) & 0x0800 != 0)
        let nameLength = u16(secondLocal + 26)
        #expect(String(decoding: data[secondLocal + 30..<secondLocal + 30 + nameLength], as: UTF8.self) == "attachments/12/ñandú.txt")
    }

    @Test("names that climb out of the archive are refused; repeated names are numbered")
    func names() throws {
        var zip = ZipArchive()
        for bad in ["../etc/passwd", "/abs", "a//b", "a/./b", "a\\b", "", "line\nbreak"] {
            #expect(throws: ZipArchive.Failure.badName(bad)) { try zip.add(bad, Data()) }
        }
        #expect(try zip.add("a/report.pdf", Data()) == "a/report.pdf")
        #expect(try zip.add("a/report.pdf", Data()) == "a/report (2).pdf")
        #expect(try zip.add("a/report.pdf", Data()) == "a/report (3).pdf")
        #expect(try zip.add("a.b/README", Data()) == "a.b/README")
        #expect(try zip.add("a.b/README", Data()) == "a.b/README (2)")
    }
}
