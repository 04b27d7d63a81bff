import Foundation

/// Typed reads of environment variables that fail with the variable's name.
struct EnvironmentReader {
    let values: [String: String]

    func string(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func boolean(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(name)?.lowercased() else { return nil }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, value: text, expected: "true or false")
        }
    }

    func choice(_ name: String, _ allowed: [String]) throws(ConfigurationError) -> String? {
        guard let text = string(name)?.lowercased() else { return nil }
        guard allowed.contains(text) else {
            throw ConfigurationError(variable: name, value: text, expected: "one of \(allowed.joined(separator: ", "))")
        }
        return text
    }
}
