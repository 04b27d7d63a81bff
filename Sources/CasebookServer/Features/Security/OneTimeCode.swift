import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226): six digits from HMAC-SHA1 of the 30-second step, as every
/// authenticator app makes them.
enum OneTimeCode {
    static let period: TimeInterval = 30
    static let digits = 6

    /// The step a moment falls in.
    static func step(at date: Date) -> Int64 { Int64((date.timeIntervalSince1970 / period).rounded(.down)) }

    static func code(secret: [UInt8], step: Int64) -> String {
        var counter = UInt64(bitPattern: step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        let text = String(value % 1_000_000)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The step `code` was made for, allowing one step of clock drift either way and never a step at or before
    /// `usedUpTo` (a code seen once is spent); nil when it matches none.
    static func verify(_ code: String, secret: [UInt8], at date: Date, usedUpTo: Int64?) -> Int64? {
        let typed = code.filter { !$0.isWhitespace }
        guard typed.count == digits, typed.allSatisfy(\.isASCII), typed.allSatisfy(\.isNumber) else { return nil }
        let now = step(at: date)
        for candidate in [now, now - 1, now + 1] where candidate > (usedUpTo ?? .min) {
            if constantTimeEqual(Self.code(secret: secret, step: candidate), typed) { return candidate }
        }
        return nil
    }

    /// A fresh 160-bit secret, the size RFC 4226 recommends.
    static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// The link an authenticator app reads from the QR code.
    static func provisioningURI(secret: String, account: String, issuer: String) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~@"))
        let label = (issuer + ":" + account).addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: ":"))) ?? account
        let issuerParam = issuer.addingPercentEncoding(withAllowedCharacters: allowed) ?? "Casebook"
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=\(issuerParam)&algorithm=SHA1&digits=\(digits)&period=\(Int(period))"
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
