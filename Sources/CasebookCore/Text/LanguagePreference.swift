import Foundation

/// Picks the language a customer reads: their profile's choice first, then the browser's Accept-Language by weight.
public enum LanguagePreference {
    public static func pick(preferred: String?, acceptLanguage: String?, supported: [String], fallback: String = "en") -> String {
        if let preferred, let match = match(preferred, in: supported) { return match }
        for tag in ranked(acceptLanguage ?? "") {
            if let match = match(tag, in: supported) { return match }
        }
        return fallback
    }

    /// The header's language tags, highest weight first; ties keep their order, `q=0` means "not this one".
    static func ranked(_ header: String) -> [String] {
        var entries: [(tag: String, weight: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty, tag != "*" else { continue }
            var weight = 1.0
            for parameter in pieces.dropFirst() where parameter.lowercased().hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            if weight > 0 { entries.append((tag, weight, order)) }
        }
        return entries.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.order < $1.order }.map(\.tag)
    }

    /// "es-MX" matches "es"; case does not matter.
    static func match(_ tag: String, in supported: [String]) -> String? {
        let primary = tag.lowercased().split(separator: "-").first.map(String.init) ?? ""
        return supported.first { $0.lowercased() == primary }
    }
}
