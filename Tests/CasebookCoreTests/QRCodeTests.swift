@testable import CasebookCore
import Foundation
import Testing

@Suite("QR codes for inspection labels")
struct QRCodeTests {
    @Test("sizes grow with the data and the error-correction level")
    func versions() throws {
        #expect(try QRCode.encode("HELLO", level: .medium).version == 1)
        #expect(try QRCode.encode("HELLO", level: .medium).size == 21)
        #expect(try QRCode.encode(String(repeating: "a", count: 100), level: .medium).version == 6)
        #expect(try QRCode.encode(String(repeating: "a", count: 100), level: .high).version == 10)
        #expect(throws: QRCodeError.tooLong(300)) { try QRCode.encode(String(repeating: "a", count: 300), level: .medium) }
    }

    @Test("Reed-Solomon matches the standard's worked example")
    func reedSolomon() {
        // ISO/IEC 18004 annex I: "01234567" at 1-M has these ten error-correction codewords.
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ecc = ReedSolomon.remainder(of: data, divisor: ReedSolomon.divisor(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test("finder patterns sit in three corners with the dark module beside the bottom one")
    func structure() throws {
        let code = try QRCode.encode("https://casebook.example/tag/abc")
        for (x, y) in [(0, 0), (code.size - 7, 0), (0, code.size - 7)] {
            #expect(code.isDark(x: x, y: y) && code.isDark(x: x + 6, y: y + 6) && !code.isDark(x: x + 1, y: y + 1) && code.isDark(x: x + 3, y: y + 3))
        }
        #expect(code.isDark(x: 8, y: code.size - 8))
        #expect(code.svg().hasPrefix("<svg"))
        let png = code.png()
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test("every version and level decodes with zbarimg, a standard reader")
    func decodesWithZbar() throws {
        guard let zbar = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            Issue.record("zbarimg is not installed (Debian's zbar-tools); scripts/test.sh installs it")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var samples: [(String, QRErrorCorrection)] = []
        for level in QRErrorCorrection.allCases {
            for length in [1, 10, 30, 60, 90, 120] {
                let text = "https://casebook.example/tag/" + String("abcdefghijklmnopqrstuvwxyz0123456789-_".shuffledDeterministically(length))
                if (try? QRCode.encode(text, level: level)) != nil { samples.append((text, level)) }
            }
        }
        samples.append(("Ñandú café 12:30 — ok", .medium))
        #expect(Set(samples.compactMap { try? QRCode.encode($0.0, level: $0.1).version }).count >= 8)
        for (index, (text, level)) in samples.enumerated() {
            let file = directory.appendingPathComponent("\(index).png")
            try Data(QRCode.encode(text, level: level).png(scale: 4)).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zbar)
            process.arguments = ["--raw", "-q", file.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let decoded = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            let version = try QRCode.encode(text, level: level).version
            #expect(decoded == text, "version \(version) \(level)")
        }
    }
}

private extension String {
    /// `length` characters cycled from this alphabet, so samples differ without randomness.
    func shuffledDeterministically(_ length: Int) -> String {
        let characters = Array(self)
        return String((0..<length).map { characters[($0 * 7 + length) % characters.count] })
    }
}
