import Foundation

/// Where each record of an export file starts and ends, found without parsing the records, so that one window of a
/// large export is parsed alone instead of the whole file once a window.
///
/// A file is a JSON array of records, an object holding that array under a key (`{"tickets": [...]}`, as the APIs
/// answer), one object (a single record), or JSON Lines (one object a line, as full exports write them).
struct JSONRecordSlicer {
    /// The byte ranges of the records, in order.
    let ranges: [Range<Int>]
    /// For JSON Lines, the line each record is on, so a bad one is named as the reader sees it in an editor.
    let lineNumbers: [Int]?

    /// Why a file's shape cannot be read.
    struct Fault: Error {
        let reason: String
    }

    init(_ data: Data, key: String) throws(Fault) {
        let found = try data.withUnsafeBytes { buffer in
            Result { () throws(Fault) in try Scanner(bytes: buffer.bindMemory(to: UInt8.self), key: key).records() }
        }.get()
        ranges = found.ranges.map { $0.lowerBound + data.startIndex..<$0.upperBound + data.startIndex }
        lineNumbers = found.lines
    }

    /// How a record at `index` is named in a message: its line in JSON Lines, else its place in the array.
    func place(of index: Int) -> String {
        lineNumbers.map { "line \($0[index])" } ?? "record \(index + 1)"
    }

    /// A forward walk over the bytes that knows strings, nesting and separators, and nothing of the values.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let key: String

        static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
        static let openSquare = UInt8(ascii: "["), closeSquare = UInt8(ascii: "]")
        static let openCurly = UInt8(ascii: "{"), closeCurly = UInt8(ascii: "}"), colon = UInt8(ascii: ":")
        static let newline = UInt8(ascii: "\n")

        func records() throws(Fault) -> (ranges: [Range<Int>], lines: [Int]?) {
            var start = 0
            // A byte-order mark is not part of the JSON.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            start = skipSpace(from: start)
            guard start < bytes.count else { return ([], nil) }
            if bytes[start] == Self.openSquare {
                let (elements, end) = try elements(ofArrayAt: start)
                guard skipSpace(from: end) == bytes.count else { return lines(from: start) }
                return (elements, nil)
            }
            guard bytes[start] == Self.openCurly, let end = valueEnd(from: start), skipSpace(from: end) == bytes.count else {
                return lines(from: start)
            }
            if let array = try arrayStart(forKeyInObjectAt: start) { return (try elements(ofArrayAt: array).ranges, nil) }
            return ([start..<end], nil)
        }

        /// Each line that is not blank, with its number.
        func lines(from start: Int) -> (ranges: [Range<Int>], lines: [Int]?) {
            var (ranges, numbers) = ([Range<Int>](), [Int]())
            var (lineStart, number) = (0, 1)
            for index in 0...bytes.count where index == bytes.count || bytes[index] == Self.newline {
                if skipSpace(from: lineStart, upTo: index) < index {
                    ranges.append(lineStart..<index)
                    numbers.append(number)
                }
                (lineStart, number) = (index + 1, number + 1)
            }
            return (ranges, numbers)
        }

        /// The ranges of the elements of the array opening at `open`, and where the array ends.
        func elements(ofArrayAt open: Int) throws(Fault) -> (ranges: [Range<Int>], end: Int) {
            var ranges: [Range<Int>] = []
            var index = skipSpace(from: open + 1)
            if index < bytes.count, bytes[index] == Self.closeSquare { return ([], index + 1) }
            while index < bytes.count {
                guard let end = valueEnd(from: index), end > index else { throw Fault(reason: "record \(ranges.count + 1) is not complete JSON") }
                ranges.append(index..<end)
                index = skipSpace(from: end)
                guard index < bytes.count else { break }
                if bytes[index] == Self.closeSquare { return (ranges, index + 1) }
                guard bytes[index] == Self.comma else { throw Fault(reason: "record \(ranges.count) is not followed by a comma") }
                index = skipSpace(from: index + 1)
            }
            throw Fault(reason: "the list of records does not end")
        }

        /// Where the array under `key` of the object opening at `open` starts, if the object has one.
        func arrayStart(forKeyInObjectAt open: Int) throws(Fault) -> Int? {
            var index = skipSpace(from: open + 1)
            while index < bytes.count, bytes[index] == Self.quote {
                guard let nameEnd = stringEnd(from: index) else { return nil }
                let name = try? JSONSerialization.jsonObject(with: Data(bytes[index..<nameEnd]), options: .fragmentsAllowed) as? String
                index = skipSpace(from: nameEnd)
                guard index < bytes.count, bytes[index] == Self.colon else { return nil }
                index = skipSpace(from: index + 1)
                if name == key, index < bytes.count, bytes[index] == Self.openSquare { return index }
                guard let valueEnd = valueEnd(from: index) else { return nil }
                index = skipSpace(from: valueEnd)
                guard index < bytes.count, bytes[index] == Self.comma else { return nil }
                index = skipSpace(from: index + 1)
            }
            return nil
        }

        /// Just past the value starting at `start`; nil when it does not end.
        func valueEnd(from start: Int) -> Int? {
            guard start < bytes.count else { return nil }
            switch bytes[start] {
            case Self.quote: return stringEnd(from: start)
            case Self.openSquare, Self.openCurly:
                var (depth, index) = (0, start)
                while index < bytes.count {
                    switch bytes[index] {
                    case Self.quote:
                        guard let end = stringEnd(from: index) else { return nil }
                        index = end
                        continue
                    case Self.openSquare, Self.openCurly: depth += 1
                    case Self.closeSquare, Self.closeCurly:
                        depth -= 1
                        if depth == 0 { return index + 1 }
                    default: break
                    }
                    index += 1
                }
                return nil
            default:
                var index = start
                while index < bytes.count, !Self.endsScalar(bytes[index]) { index += 1 }
                return index
            }
        }

        /// Just past the string whose opening quote is at `start`.
        func stringEnd(from start: Int) -> Int? {
            var index = start + 1
            while index < bytes.count {
                switch bytes[index] {
                case Self.backslash: index += 2
                case Self.quote: return index + 1
                default: index += 1
                }
            }
            return nil
        }

        func skipSpace(from start: Int, upTo end: Int? = nil) -> Int {
            var index = start
            let end = end ?? bytes.count
            while index < end, Self.isSpace(bytes[index]) { index += 1 }
            return index
        }

        static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

        static func endsScalar(_ byte: UInt8) -> Bool { isSpace(byte) || byte == comma || byte == closeSquare || byte == closeCurly }
    }
}
