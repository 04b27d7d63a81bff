import Foundation

/// Canned-response text with `{{case.reference}}`-style placeholders, filled from the case at hand.
public enum PlaceholderTemplate {
    /// The placeholders a canned response may use.
    public static let names: [String] = [
        "agent.name", "case.reference", "case.subject", "customer.email", "customer.first_name", "customer.name", "organisation.name",
    ]

    /// Every placeholder in the text that is unknown (not in `allowed`) or left open; empty when the text can be saved.
    public static func problems(_ text: String, allowed: [String] = names) -> [String] {
        var problems: [String] = []
        for token in tokens(text) {
            switch token {
            case .placeholder(let name) where !allowed.contains(name): problems.append("unknown placeholder {{\(name)}}")
            case .unclosed: problems.append("a placeholder is opened with {{ but never closed")
            default: break
            }
        }
        return problems
    }

    /// The text with every known placeholder replaced; a value the case lacks becomes empty, never the raw braces.
    public static func render(_ text: String, values: [String: String]) -> String {
        var output = ""
        for token in tokens(text) {
            switch token {
            case .text(let literal): output += literal
            case .placeholder(let name): output += values[name] ?? ""
            case .unclosed(let rest): output += rest
            }
        }
        return output
    }

    enum Token: Equatable {
        case text(String)
        case placeholder(String)
        case unclosed(String)
    }

    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex { tokens.append(.text(String(rest[..<open.lowerBound]))) }
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                tokens.append(.unclosed(String(rest[open.lowerBound...])))
                return tokens
            }
            tokens.append(.placeholder(after[..<close.lowerBound].trimmingCharacters(in: .whitespaces)))
            rest = after[close.upperBound...]
        }
        if !rest.isEmpty { tokens.append(.text(String(rest))) }
        return tokens
    }
}
