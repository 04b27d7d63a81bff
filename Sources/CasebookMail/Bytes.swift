import Foundation

/// Byte-level helpers shared by the parsers; mail is bytes first, text only after decoding.
enum Bytes {
    static let cr: UInt8 = 13
    static let lf: UInt8 = 10
    static let space: UInt8 = 32
    static let tab: UInt8 = 9

    /// Splits into lines at LF, dropping a CR before it; the last line may lack an ending.
    static func lines(_ data: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = data.startIndex
        var index = data.startIndex
        while index < data.endIndex {
            if data[index] == lf {
                var end = index
                if end > start, data[end - 1] == cr { end -= 1 }
                result.append(data[start..<end])
                start = index + 1
            }
            index += 1
        }
        if start < data.endIndex { result.append(data[start..<data.endIndex]) }
        return result
    }

    /// Text from bytes that should be ASCII or UTF-8 (headers): UTF-8 when valid, else Windows-1252.
    static func headerText(_ bytes: ArraySlice<UInt8>) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return Charset.decode(Array(bytes), charset: "windows-1252")
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, isSpace(first) || first == cr || first == lf { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) || last == cr || last == lf { slice = slice.dropLast() }
        return slice
    }
}
