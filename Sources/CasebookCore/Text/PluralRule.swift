/// CLDR plural categories for whole numbers in the languages Casebook speaks, so a catalogue can hold
/// "{{count}} case" and "{{count}} cases" under `key_one` and `key_other` and each language picks its own.
///
/// The rules are CLDR's for integers: English and German say "one" only for 1; French says "one" for 0 and 1;
/// French and Spanish say "many" for exact millions ("1 000 000 de cas"). A catalogue without a `_many`
/// text falls back to `_other`.
public enum PluralCategory: String, Sendable {
    case one, many, other

    /// The category of `count` in `language` (a primary tag such as "fr"; unknown languages follow English).
    public static func of(_ count: Int, language: String) -> PluralCategory {
        let n = abs(count)
        switch language.lowercased().split(separator: "-").first.map(String.init) ?? "" {
        case "fr":
            if n == 0 || n == 1 { return .one }
            return n != 0 && n % 1_000_000 == 0 ? .many : .other
        case "es":
            if n == 1 { return .one }
            return n != 0 && n % 1_000_000 == 0 ? .many : .other
        default:
            return n == 1 ? .one : .other
        }
    }

    /// The catalogue keys to try for `key` and `count`, most specific first: `key_many`, then `key_other`.
    public static func keys(_ key: String, count: Int, language: String) -> [String] {
        let category = of(count, language: language)
        return category == .many ? ["\(key)_many", "\(key)_other"] : ["\(key)_\(category.rawValue)", "\(key)_other"]
    }
}
