import Foundation

/// Numbers as a reader of a page's language writes them: "1,234.5" in English, "1.234,5" in Spanish and German,
/// "1 234,5" in French.
enum PageNumber {
    static func format(_ value: Double, language: String) -> String {
        value.formatted(.number.locale(Locale(identifier: language)).precision(.fractionLength(0...2)))
    }
}
