/// A QR code symbol (byte mode, versions 1–10), encoded here so inspection labels need no outside tool.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let size: Int
    public let version: Int
    /// Row-major, `true` is dark.
    public let modules: [Bool]

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Encodes `bytes` in the smallest version that holds them at `level`.
    public static func encode(_ bytes: [UInt8], level: QRErrorCorrection = .medium) throws(QRCodeError) -> QRCode {
        for version in 1...QRVersionTable.maxVersion {
            let layout = QRVersionTable.layout(version: version, level: level)
            let countBits = version <= 9 ? 8 : 16
            let needed = 4 + countBits + bytes.count * 8
            guard needed <= layout.dataCodewords * 8, bytes.count < (1 << countBits) else { continue }
            var builder = QRSymbolBuilder(version: version, level: level)
            builder.place(codewords: interleave(dataCodewords(bytes, countBits: countBits, capacity: layout.dataCodewords), layout: layout))
            return builder.finish()
        }
        throw .tooLong(bytes.count)
    }

    /// Encodes text as UTF-8.
    public static func encode(_ text: String, level: QRErrorCorrection = .medium) throws(QRCodeError) -> QRCode {
        try encode(Array(text.utf8), level: level)
    }

    /// Mode indicator, length, data, terminator and padding, as codewords.
    static func dataCodewords(_ bytes: [UInt8], countBits: Int, capacity: Int) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: countBits)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits data into blocks, adds each block's error correction and interleaves them.
    static func interleave(_ data: [UInt8], layout: QRBlockLayout) -> [UInt8] {
        let divisor = ReedSolomon.divisor(degree: layout.eccPerBlock)
        var blocks: [[UInt8]] = []
        var eccs: [[UInt8]] = []
        var offset = 0
        for group in layout.groups {
            for _ in 0..<group.count {
                let block = Array(data[offset..<(offset + group.data)])
                offset += group.data
                blocks.append(block)
                eccs.append(ReedSolomon.remainder(of: block, divisor: divisor))
            }
        }
        var result: [UInt8] = []
        let longest = blocks.map(\.count).max() ?? 0
        for i in 0..<longest {
            for block in blocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<layout.eccPerBlock {
            for ecc in eccs { result.append(ecc[i]) }
        }
        return result
    }
}

/// Why a QR code could not be made.
public enum QRCodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case tooLong(Int)

    public var description: String {
        switch self {
        case let .tooLong(count): "\(count) bytes do not fit in a version 10 QR code"
        }
    }
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> i) & 1 == 1 { bytes[count / 8] |= UInt8(0x80 >> (count % 8)) }
            count += 1
        }
    }
}
