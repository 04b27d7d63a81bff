/// Decodes WAV recordings into the 16 kHz, 16-bit mono samples speech recognisers expect.
public enum WAVAudio {
    /// The rate speech models are trained on.
    public static let speechRate = 16_000

    /// Decoded audio: mono samples at `sampleRate`.
    public struct Samples: Sendable, Equatable {
        public let sampleRate: Int
        public let samples: [Int16]

        public var duration: Double { Double(samples.count) / Double(sampleRate) }
    }

    /// A recording's format, read from its header.
    public struct Format: Sendable, Equatable {
        public let channels: Int
        public let sampleRate: Int
        public let bitsPerSample: Int
        public let isFloat: Bool
        /// Length in seconds.
        public let duration: Double
    }

    /// Checks a recording is usable without decoding its samples (cheap for large uploads).
    public static func inspect(_ bytes: [UInt8]) throws(WAVError) -> Format {
        let (format, data) = try locate(bytes)
        try check(format)
        let frames = data.count / (format.bits / 8 * format.channels)
        guard frames > 0 else { throw .malformed("no samples") }
        return Format(channels: format.channels, sampleRate: format.rate, bitsPerSample: format.bits, isFloat: format.code == 3,
                      duration: Double(frames) / Double(format.rate))
    }

    /// Reads PCM (8, 16, 24 or 32-bit integer) or 32-bit float WAV, any channel count, mixed down to mono.
    public static func decode(_ bytes: [UInt8]) throws(WAVError) -> Samples {
        let (format, data) = try locate(bytes)
        return try samples(bytes[data], format: format)
    }

    private typealias RawFormat = (code: Int, channels: Int, rate: Int, bits: Int)

    /// The fmt chunk and where the data chunk's bytes are.
    private static func locate(_ bytes: [UInt8]) throws(WAVError) -> (RawFormat, Range<Int>) {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else { throw .notWAV }
        var offset = 12
        var format: RawFormat?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = Int(le32(bytes, offset + 4))
            let body = offset + 8
            let end = min(bytes.count, body + size)
            if id == "fmt " {
                guard size >= 16, end - body >= 16 else { throw .malformed("fmt chunk is too short") }
                var code = Int(le16(bytes, body))
                if code == 0xFFFE, size >= 26 { code = Int(le16(bytes, body + 24)) }  // WAVE_FORMAT_EXTENSIBLE's subformat
                format = (code, Int(le16(bytes, body + 2)), Int(le32(bytes, body + 4)), Int(le16(bytes, body + 14)))
            } else if id == "data" {
                guard let format else { throw .malformed("data comes before fmt") }
                return (format, body..<end)
            }
            offset = body + size + (size & 1)
        }
        throw .malformed("no data chunk")
    }

    private static func check(_ format: RawFormat) throws(WAVError) {
        guard (1...16).contains(format.channels), (4_000...192_000).contains(format.rate) else {
            throw .unsupported("\(format.channels) channels at \(format.rate) Hz")
        }
        guard (format.code == 1 && [8, 16, 24, 32].contains(format.bits)) || (format.code == 3 && format.bits == 32) else {
            throw .unsupported("format \(format.code) with \(format.bits)-bit samples (PCM or 32-bit float only)")
        }
    }

    private static func samples(_ data: ArraySlice<UInt8>, format: RawFormat) throws(WAVError) -> Samples {
        try check(format)
        let isFloat = format.code == 3
        let width = format.bits / 8
        let frameWidth = width * format.channels
        let frames = data.count / frameWidth
        guard frames > 0 else { throw .malformed("no samples") }
        guard frames / format.rate <= 4 * 3_600 else { throw .unsupported("recordings over four hours") }
        var mono = [Float](repeating: 0, count: frames)
        var index = data.startIndex
        for frame in 0..<frames {
            var sum: Float = 0
            for _ in 0..<format.channels {
                sum += sample(data, at: index, width: width, isFloat: isFloat)
                index += width
            }
            mono[frame] = sum / Float(format.channels)
        }
        return Samples(sampleRate: speechRate, samples: resample(mono, from: format.rate, to: speechRate))
    }

    /// One sample scaled to -1…1.
    private static func sample(_ data: ArraySlice<UInt8>, at i: Int, width: Int, isFloat: Bool) -> Float {
        switch width {
        case 1: return (Float(data[i]) - 128) / 128
        case 2: return Float(Int16(bitPattern: UInt16(data[i]) | UInt16(data[i + 1]) << 8)) / 32_768
        case 3:
            let raw = Int32(data[i]) | Int32(data[i + 1]) << 8 | Int32(data[i + 2]) << 16
            return Float((raw << 8) >> 8) / 8_388_608
        default:
            let bits = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
            return isFloat ? Float(bitPattern: bits) : Float(Int32(bitPattern: bits)) / 2_147_483_648
        }
    }

    /// Linear-interpolation resampling; when shrinking, each output sample averages the inputs it covers (a box low-pass).
    static func resample(_ input: [Float], from source: Int, to target: Int) -> [Int16] {
        let ratio = Double(source) / Double(target)
        let count = Int(Double(input.count) / ratio)
        var output = [Int16](repeating: 0, count: count)
        for i in 0..<count {
            let position = Double(i) * ratio
            var value: Float
            if ratio > 1 {
                let start = Int(position)
                let end = min(input.count, max(start + 1, Int(position + ratio)))
                value = input[start..<end].reduce(0, +) / Float(end - start)
            } else {
                let left = Int(position)
                let right = min(left + 1, input.count - 1)
                let t = Float(position - Double(left))
                value = input[left] * (1 - t) + input[right] * t
            }
            output[i] = Int16(max(-32_768, min(32_767, (value * 32_767).rounded())))
        }
        return output
    }

    /// Raw little-endian 16-bit samples, as a recogniser reads them from a file.
    public static func rawPCM(_ samples: [Int16]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 2)
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            bytes.append(UInt8(bits & 0xFF))
            bytes.append(UInt8(bits >> 8))
        }
        return bytes
    }

    /// A 16-bit mono WAV file of `samples` (for tests and for storing normalised recordings).
    public static func encode(_ samples: [Int16], sampleRate: Int) -> [UInt8] {
        let data = rawPCM(samples)
        var out = Array("RIFF".utf8) + le32(UInt32(36 + data.count)) + Array("WAVEfmt ".utf8)
        out += le32(16) + [1, 0, 1, 0] + le32(UInt32(sampleRate)) + le32(UInt32(sampleRate * 2)) + [2, 0, 16, 0]
        return out + Array("data".utf8) + le32(UInt32(data.count)) + data
    }

    private static func le16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    private static func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
    private static func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}

/// Why a recording could not be read.
public enum WAVError: Error, Sendable, Equatable, CustomStringConvertible {
    case notWAV
    case malformed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .notWAV: "The file is not a WAV recording (no RIFF/WAVE header)."
        case let .malformed(detail): "The WAV file is damaged: \(detail)."
        case let .unsupported(detail): "This WAV file is not supported: \(detail)."
        }
    }
}
