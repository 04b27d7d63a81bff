import Foundation

/// A value stored in an admin-defined field.
public enum FieldValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case text(String)
    case number(Double)
    case flag(Bool)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .flag(value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case let .text(value): value
        case let .number(value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case let .flag(value): value ? "true" : "false"
        }
    }
}

/// The type an admin gives a custom field.
public enum CustomFieldKind: String, Sendable, Codable, CaseIterable {
    case text, number, boolean, date, choice
}

/// An admin-defined case field and the rule its values must follow.
public struct CustomFieldDefinition: Sendable, Equatable, Codable {
    public var key: String
    public var label: String
    public var kind: CustomFieldKind
    public var required: Bool
    public var choices: [String]

    public init(key: String, label: String, kind: CustomFieldKind, required: Bool = false, choices: [String] = []) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
    }

    /// Keys are lower-case identifiers so they are safe in URLs, JSON and filters.
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first), key.count <= 64 else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Checks the definition itself before an admin saves it.
    public func validateDefinition() throws(CaseRuleError) {
        guard Self.isValidKey(key) else {
            throw .invalidField(name: "key", reason: "must start with a-z and hold only a-z, 0-9 and _ (64 at most)")
        }
        guard !label.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missingField(name: "label") }
        if kind == .choice, choices.isEmpty {
            throw .invalidField(name: "choices", reason: "must list at least one choice for a choice field")
        }
    }

    /// Checks one value against this definition and returns it in canonical form.
    public func validate(_ value: FieldValue) throws(CaseRuleError) -> FieldValue {
        let name = "custom_fields.\(key)"
        switch (kind, value) {
        case let (.text, .text(text)):
            guard text.count <= 4000 else { throw .invalidField(name: name, reason: "is longer than 4000 characters") }
            return value
        case let (.number, .number(number)):
            guard number.isFinite else { throw .invalidField(name: name, reason: "must be a finite number") }
            return value
        case (.boolean, .flag):
            return value
        case let (.date, .text(text)):
            guard Self.isCalendarDate(text) else { throw .invalidField(name: name, reason: "must be a date as YYYY-MM-DD") }
            return value
        case let (.choice, .text(text)):
            guard choices.contains(text) else {
                throw .invalidField(name: name, reason: "must be one of: \(choices.joined(separator: ", "))")
            }
            return value
        default:
            throw .invalidField(name: name, reason: "must be a \(kind.rawValue)")
        }
    }

    private static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }
}

/// Validates a whole set of custom values against the active definitions.
public enum CustomFieldValidator {
    /// Merges `changes` into `current`, checking each value; `nil` in `changes` clears a field.
    public static func merge(
        current: [String: FieldValue],
        changes: [String: FieldValue?],
        definitions: [CustomFieldDefinition]
    ) throws(CaseRuleError) -> [String: FieldValue] {
        let byKey = Dictionary(definitions.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var result = current
        for key in changes.keys.sorted() {
            guard let definition = byKey[key] else { throw .unknownField(name: "custom_fields.\(key)") }
            if let value = changes[key] ?? nil {
                result[key] = try definition.validate(value)
            } else {
                result[key] = nil
            }
        }
        for definition in definitions where definition.required && result[definition.key] == nil {
            throw .missingField(name: "custom_fields.\(definition.key)")
        }
        return result
    }
}
