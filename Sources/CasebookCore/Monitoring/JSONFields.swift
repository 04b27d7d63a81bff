import Foundation

/// Typed reads from loosely shaped JSON, each failing with the field's name.
enum JSONFields {
    static func strings(_ value: Any?, field: String) throws(AlertPayloadError) -> [String: String]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else { throw .invalid(field: field, message: "must be an object of strings") }
        var result: [String: String] = [:]
        for (key, element) in object {
            guard let text = element as? String else { throw .invalid(field: "\(field).\(key)", message: "must be a string") }
            guard key.count <= 200, text.count <= 10_000 else { throw .invalid(field: "\(field).\(key)", message: "is too long") }
            result[key] = text
        }
        return result
    }

    static func text(_ value: Any?, field: String, max: Int) throws(AlertPayloadError) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw .invalid(field: field, message: "must be a string") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count <= max else { throw .invalid(field: field, message: "must be at most \(max) characters") }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// An RFC 3339 time; Alertmanager's zero time ("0001-01-01T00:00:00Z", meaning unset) reads as nil.
    static func date(_ value: Any?, field: String) throws(AlertPayloadError) -> Date? {
        guard let text = try text(value, field: field, max: 64) else { return nil }
        if text.hasPrefix("0001-01-01") { return nil }
        guard let date = RFC3339.parse(text) else { throw .invalid(field: field, message: "must be an RFC 3339 time") }
        return date
    }
}

/// RFC 3339 times with any number of fractional digits (Go writes nanoseconds) and any offset.
enum RFC3339 {
    static func parse(_ text: String) -> Date? {
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let afterDot = text[text.index(after: dot)...]
            let digits = afterDot.prefix { $0.isNumber }
            guard !digits.isEmpty else { return nil }
            fraction = Double("0." + digits) ?? 0
            base = String(text[..<dot]) + String(afterDot.dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: base).map { $0.addingTimeInterval(fraction) }
    }
}
