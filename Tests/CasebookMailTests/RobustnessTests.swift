import CasebookCore
import CasebookMail
import Foundation
import Testing

/// Hostile and broken input: the parser always returns, quickly, with bounded output.
@Suite("Parser robustness")
struct RobustnessTests {
    @Test("pathological inputs parse without trapping", arguments: PathologicalMail.samples)
    func pathological(sample: PathologicalMail.Sample) {
        let message = MailParser.parse(sample.bytes)
        #expect(message.attachments.count <= 2000)
        _ = try? MailSummary(message).json()
    }

    @Test("random mutations of every corpus message parse without trapping")
    func mutations() throws {
        var generator = SeededRandom(seed: 7)
        for name in CorpusTests.names {
            let original = Array(try Data(contentsOf: CorpusTests.directory.appendingPathComponent(name + ".eml")))
            for _ in 0..<20 {
                var bytes = original
                for _ in 0..<(1 + Int(generator.next() % 8)) where !bytes.isEmpty {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 4 {
                    case 0: bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.remove(at: index)
                    case 2: bytes.insert(contentsOf: Array("--=?\r\n:;<\"(".utf8).shuffled(using: &generator), at: index)
                    default: bytes = Array(bytes[..<index])
                    }
                }
                _ = MailParser.parse(bytes)
            }
        }
    }
}

/// Inputs built to break parsers: huge, deep, repetitive or unterminated.
enum PathologicalMail {
    struct Sample: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        var testDescription: String { name }
    }

    static let samples: [Sample] = {
        func s(_ name: String, _ text: String) -> Sample { Sample(name: name, bytes: Array(text.utf8)) }
        let nested = (0..<5000).map { "Content-Type: multipart/mixed; boundary=\"b\($0)\"\r\n\r\n--b\($0)\r\n" }.joined()
        return [
            Sample(name: "empty", bytes: []),
            Sample(name: "one NUL byte", bytes: [0]),
            Sample(name: "random bytes", bytes: (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }),
            s("5000 nested multiparts", "Content-Type: multipart/mixed; boundary=\"start\"\r\n\r\n--start\r\n" + nested),
            s("a million encoded-word starts", "Subject: " + String(repeating: "=?", count: 500_000) + "\r\n\r\nx"),
            s("a long unterminated comment", "From: (" + String(repeating: "(", count: 100_000) + "\r\n\r\nx"),
            s("endless quoted string", "From: \"" + String(repeating: "a\\", count: 100_000) + "\r\n\r\nx"),
            s("100k header lines", String(repeating: "X-A: b\r\n", count: 100_000) + "\r\nbody"),
            s("100k folded continuation lines", "Subject: a\r\n" + String(repeating: " b\r\n", count: 100_000) + "\r\nbody"),
            s("10k parts", "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + String(repeating: "--b\r\nContent-Type: application/x\r\n\r\nz\r\n", count: 10_000)),
            s("boundary lines only", "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + String(repeating: "--b\r\n", count: 50_000)),
            s("base64 of nothing but padding", "Content-Transfer-Encoding: base64\r\n\r\n" + String(repeating: "=", count: 100_000)),
            s("quoted-printable of nothing but =", "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + String(repeating: "=", count: 100_000)),
            s("uuencode begin without end", "\r\nbegin 644 x\r\n" + String(repeating: "M86%A\r\n", count: 10_000)),
            s("html of only tags", "Content-Type: text/html\r\n\r\n" + String(repeating: "<p><", count: 100_000)),
            s("huge RFC 2231 sections", "Content-Type: text/plain; " + (0..<5000).map { "name*\($0)*=%41" }.joined(separator: "; ") + "\r\n\r\nx"),
            s("charset label of 10k characters", "Content-Type: text/plain; charset=" + String(repeating: "x", count: 10_000) + "\r\n\r\n\u{E9}"),
            s("address list of 50k commas", "To: " + String(repeating: ",", count: 50_000) + "\r\n\r\nx"),
            s("attached messages nested 200 deep", String(repeating: "Content-Type: message/rfc822\r\n\r\n", count: 200) + "body"),
        ]
    }()
}
