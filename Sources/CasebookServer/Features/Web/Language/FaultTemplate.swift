import Foundation

/// A refusal worded with values in it ("Case {{reference}} was not found."), as the English catalog holds it: it
/// recognises a sentence the API built ("Case CB-10042 was not found.") and hands back the values, so a page can say
/// the same in the reader's language. Matching is by the literal words between the values, each value at least one
/// character and as short as the words after it allow.
struct FaultTemplate: Sendable {
    /// The catalog key of the English template.
    let key: String
    /// The words around the values: one more than there are values (the first and last may be empty).
    let literals: [String]
    /// The values' names, in order.
    let names: [String]

    /// Nil for a text without a `{{name}}` in it (an exact text is looked up by key instead).
    init?(key: String, english: String) {
        var literals: [String] = []
        var names: [String] = []
        var rest = Substring(english)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            literals.append(String(rest[..<open.lowerBound]))
            names.append(String(name))
            rest = rest[close.upperBound...]
        }
        guard !names.isEmpty else { return nil }
        // Two values side by side could be split anywhere: such a template recognises nothing reliably.
        guard !literals.dropFirst().contains(where: \.isEmpty) else { return nil }
        literals.append(String(rest))
        self.key = key
        self.literals = literals
        self.names = names
    }

    /// How many characters of the template are its own words: a template with more is tried first.
    var specificity: Int { literals.reduce(0) { $0 + $1.count } }

    /// The values in `text` by name, or nil when the text is not this template's.
    func values(in text: String) -> [String: String]? {
        guard let first = literals.first, let last = literals.last, text.hasPrefix(first), text.hasSuffix(last),
              text.count > first.count + last.count else { return nil }
        let end = text.index(text.endIndex, offsetBy: -last.count)
        var position = text.index(text.startIndex, offsetBy: first.count)
        var values: [String: String] = [:]
        for (index, name) in names.enumerated() {
            guard position < end else { return nil }
            if index == names.count - 1 {
                values[name] = String(text[position..<end])
            } else {
                // The value takes at least one character, then runs up to the next words.
                let searchFrom = text.index(after: position)
                guard searchFrom <= end, let next = text[searchFrom..<end].range(of: literals[index + 1]) else { return nil }
                values[name] = String(text[position..<next.lowerBound])
                position = next.upperBound
            }
        }
        return values
    }

    /// Every template among a catalog's refusals (`fault_…` keys), most specific first.
    static func all(in english: [String: String]) -> [FaultTemplate] {
        english.compactMap { key, text in key.hasPrefix("fault_") ? FaultTemplate(key: key, english: text) : nil }
            .sorted { ($0.specificity, $0.key) > ($1.specificity, $1.key) }
    }
}
