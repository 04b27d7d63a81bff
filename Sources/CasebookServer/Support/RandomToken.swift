import Foundation

/// 256 random bits written as 43 base64url characters: API tokens, inspection tags, survey links.
enum RandomToken {
    static let length = 43

    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether text could be one of ours (checked before any lookup, so junk never reaches the database).
    static func isWellFormed(_ text: String) -> Bool {
        text.count == length && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
