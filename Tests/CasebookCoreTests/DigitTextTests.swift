import CasebookCore
import Foundation
import Testing

@Suite("Digits and timestamps without format strings")
struct DigitTextTests {
    @Test("padded decimals match printf's %0Nd", arguments: [(0, 2), (7, 2), (42, 2), (123, 2), (5, 4), (2026, 4), (-7, 3), (999, 3)])
    func padded(value: Int, width: Int) {
        #expect(DigitText.padded(value, width: width) == String(format: "%0\(width)ld", value))
    }

    @Test("hexadecimal matches %02x byte by byte")
    func hex() {
        let bytes: [UInt8] = [0, 1, 15, 16, 127, 128, 171, 255]
        #expect(DigitText.hex(bytes) == bytes.map { String(format: "%02x", $0) }.joined())
        #expect(DigitText.hex([UInt8]()) == "")
    }

    @Test("timestamps agree with Foundation's calendar over 5,000 random moments from 1900 to 2200, before 1970 included")
    func timestamps() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let milliseconds = Int64.random(in: -2_208_988_800_000...7_258_118_400_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let whole = Date(timeIntervalSince1970: Double(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
            let fraction = ((milliseconds % 1000) + 1000) % 1000
            let expected = String(format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%03ldZ", parts.year!, parts.month!, parts.day!,
                                  parts.hour!, parts.minute!, parts.second!, Int(fraction))
            #expect(Timestamp.format(date) == expected, "\(milliseconds)")
        }
    }
}
