import Crypto
import Foundation

/// The `Casebook-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
///
/// Signing the timestamp with the body lets a receiver refuse a replayed delivery: it checks the
/// signature, then that `t` is within its window (five minutes is the usual choice).
enum WebhookSignature {
    static let header = "Casebook-Signature"
    static let replayWindow: TimeInterval = 300

    static func sign(body: Data, secret: String, at time: Date) -> String {
        let timestamp = Int(time.timeIntervalSince1970)
        return "t=\(timestamp),v1=\(digest(body: body, secret: secret, timestamp: timestamp))"
    }

    /// What a receiver does: true when `header` signs `body` with `secret` and is no older than `window`.
    static func verify(header: String, body: Data, secret: String, now: Date, window: TimeInterval = replayWindow) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= window else { return false }
        let expected = Array(digest(body: body, secret: secret, timestamp: timestamp).utf8)
        // Compared without an early exit, so timing says nothing about how much of a guess was right.
        return signatures.contains { candidate in
            let given = Array(candidate.utf8)
            guard given.count == expected.count else { return false }
            return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }

    private static func digest(body: Data, secret: String, timestamp: Int) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
