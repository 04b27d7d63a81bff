import Foundation

/// A case's human reference, such as `CB-10423`: a prefix and a number anyone can quote.
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    public let prefix: String
    public let number: Int

    public init(prefix: String, number: Int) {
        self.prefix = prefix
        self.number = number
    }

    /// Reads `CB-10423`, `cb-10423`, `[CB-10423]` or a bare `10423` (taking `defaultPrefix`).
    public init?(parsing text: String, defaultPrefix: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        if let number = Int(body), number > 0 {
            self.init(prefix: defaultPrefix, number: number)
            return
        }
        guard let dash = body.lastIndex(of: "-") else { return nil }
        let prefix = body[..<dash].uppercased()
        guard Reference.isValidPrefix(prefix), let number = Int(body[body.index(after: dash)...]), number > 0 else {
            return nil
        }
        self.init(prefix: prefix, number: number)
    }

    public var description: String { "\(prefix)-\(number)" }

    /// A prefix is 1–10 upper-case ASCII letters or digits, starting with a letter.
    public static func isValidPrefix(_ prefix: String) -> Bool {
        guard let first = prefix.unicodeScalars.first, (1...10).contains(prefix.count) else { return false }
        guard ("A"..."Z").contains(first) else { return false }
        return prefix.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
