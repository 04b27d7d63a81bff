@testable import CasebookCore
import Foundation
import Testing

@Suite("WAV recordings for transcription")
struct WAVAudioTests {
    /// A stereo or mono WAV of a sine tone at `rate`.
    static func tone(rate: Int, channels: Int, bits: Int, seconds: Double = 0.5) -> [UInt8] {
        let frames = Int(Double(rate) * seconds)
        var data = [UInt8]()
        for i in 0..<frames {
            let value = sin(Double(i) * 2 * .pi * 440 / Double(rate)) * 0.5
            for _ in 0..<channels {
                switch bits {
                case 8: data.append(UInt8(128 + Int(value * 127)))
                case 16:
                    let s = UInt16(bitPattern: Int16(value * 32_767))
                    data += [UInt8(s & 0xFF), UInt8(s >> 8)]
                default:
                    let s = UInt32(bitPattern: Int32(value * 8_388_607))
                    data += [UInt8(s & 0xFF), UInt8((s >> 8) & 0xFF), UInt8((s >> 16) & 0xFF)]
                }
            }
        }
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
        let block = channels * bits / 8
        var out = Array("RIFF".utf8) + le32(36 + data.count + 12) + Array("WAVE".utf8)
        out += Array("LIST".utf8) + le32(4) + Array("INFO".utf8)  // a chunk readers must skip
        out += Array("fmt ".utf8) + le32(16) + [1, 0, UInt8(channels), 0] + le32(rate) + le32(rate * block) + [UInt8(block), 0, UInt8(bits), 0]
        return out + Array("data".utf8) + le32(data.count) + data
    }

    @Test("8 kHz telephone, 44.1 kHz stereo and 24-bit audio become 16 kHz mono", arguments: [(8_000, 1, 16), (44_100, 2, 16), (16_000, 1, 8), (48_000, 2, 24)])
    func formats(rate: Int, channels: Int, bits: Int) throws {
        let decoded = try WAVAudio.decode(Self.tone(rate: rate, channels: channels, bits: bits))
        #expect(decoded.sampleRate == 16_000)
        #expect(abs(decoded.duration - 0.5) < 0.01)
        let peak = decoded.samples.map { abs(Int($0)) }.max() ?? 0
        #expect(peak > 14_000 && peak < 17_500, "a half-scale tone stays half scale: \(peak)")
    }

    @Test("round trip through our own encoder")
    func roundTrip() throws {
        let samples: [Int16] = (0..<1_600).map { Int16(($0 % 200) * 100 - 10_000) }
        #expect(try WAVAudio.decode(WAVAudio.encode(samples, sampleRate: 16_000)).samples == samples)
    }

    @Test("what is not a usable WAV is refused")
    func refused() {
        #expect(throws: WAVError.notWAV) { try WAVAudio.decode(Array("hello world, not audio".utf8)) }
        var noData = Self.tone(rate: 8_000, channels: 1, bits: 16)
        noData = Array(noData.prefix(12 + 12 + 24))
        #expect(throws: WAVError.self) { _ = try WAVAudio.decode(noData) }
        var float64 = Self.tone(rate: 8_000, channels: 1, bits: 16)
        float64[32] = 3  // the fmt body starts at 32: claim IEEE float with 16-bit samples
        #expect(throws: WAVError.self) { _ = try WAVAudio.decode(float64) }
    }
}

@Suite("WAV headers")
struct WAVInspectTests {
    @Test("inspect reads the format and length without decoding")
    func inspect() throws {
        let format = try WAVAudio.inspect(WAVAudioTests.tone(rate: 8_000, channels: 2, bits: 16, seconds: 1.5))
        #expect(format.channels == 2 && format.sampleRate == 8_000 && format.bitsPerSample == 16 && !format.isFloat)
        #expect(abs(format.duration - 1.5) < 0.001)
        #expect(throws: WAVError.notWAV) { _ = try WAVAudio.inspect(Array("RIFX".utf8)) }
    }
}
