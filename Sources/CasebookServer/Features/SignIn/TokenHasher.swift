import CasebookCore
import Crypto
import Foundation

/// API tokens are long random strings; a SHA-256 of one is enough to store (unlike a password,
/// it cannot be guessed from a dictionary), and it is cheap to check on every request.
enum TokenHasher {
    static let prefix = "cb_"

    /// A new token and the hash to store for it.
    static func issue() -> (token: String, hash: String, hint: String) {
        let token = prefix + RandomToken.make()
        return (token, hash(token), String(token.prefix(prefix.count + 4)))
    }

    static func hash(_ token: String) -> String {
        DigitText.hex(SHA256.hash(data: Data(token.utf8)))
    }
}
