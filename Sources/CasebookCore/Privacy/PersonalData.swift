import Foundation

/// What identifies one person in free text (their name, addresses and phone numbers), and the text with it taken out.
public struct PersonalData: Sendable, Equatable {
    public static let removed = "[removed]"

    public var names: [String]
    public var addresses: [String]
    public var phones: [String]

    public init(names: [String], addresses: [String], phones: [String]) {
        self.names = names
        self.addresses = addresses
        self.phones = phones
    }

    /// `text` with every address, phone number and name of the person replaced by `[removed]`, ignoring case.
    /// A full name goes first, then its words of three letters or more ("Ann Lee" also takes "Lee" alone, not
    /// "an" inside other words); phone numbers match whatever spaces, dots or dashes separate their digits.
    public func scrub(_ text: String) -> String {
        var out = text
        for address in addresses where !address.isEmpty {
            out = out.replacingOccurrences(of: address, with: Self.removed, options: .caseInsensitive)
        }
        for phone in phones {
            let digits = phone.filter(\.isNumber)
            guard digits.count >= 6 else { continue }
            // The number as stored, then without its country code (the last nine digits), as people often write it.
            for form in [digits] + (digits.count > 9 ? [String(digits.suffix(9))] : []) {
                let pattern = form.map(String.init).joined(separator: "[\\s.()-]*")
                out = out.replacingOccurrences(of: "(?<![0-9])\\+?" + pattern + "(?![0-9])", with: Self.removed, options: .regularExpression)
            }
        }
        let words = names.flatMap { name in [name] + name.split(whereSeparator: { $0.isWhitespace }).map(String.init).filter { $0.count >= 3 } }
        for word in words.sorted(by: { $0.count > $1.count }) where !word.trimmingCharacters(in: .whitespaces).isEmpty {
            let escaped = NSRegularExpression.escapedPattern(for: word)
            out = out.replacingOccurrences(of: "(?<![\\p{L}\\p{N}])" + escaped + "(?![\\p{L}\\p{N}])", with: Self.removed,
                                           options: [.regularExpression, .caseInsensitive])
        }
        return out
    }

    /// The address an anonymised person is left with: unique, and never deliverable (RFC 2606 keeps `.invalid` unused).
    public static func anonymousAddress(for id: UUID) -> String {
        "anonymised-" + id.uuidString.lowercased().prefix(8) + "@anonymised.invalid"
    }

    /// Whether an address is one `anonymousAddress` made.
    public static func isAnonymous(_ address: String) -> Bool { address.hasSuffix("@anonymised.invalid") }
}
