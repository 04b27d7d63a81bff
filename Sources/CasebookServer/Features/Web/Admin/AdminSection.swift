import Foundation
import Vapor

/// One admin page: a table of what exists and the forms that add to it. Every admin area uses this one shape.
struct AdminSection: Encodable {
    var page: PageChrome
    var heading: String
    var intro: String
    var columns: [String]
    var rows: [[Cell]]
    var forms: [Form]
    var pre: String?

    struct Cell: Encodable {
        var text: String
        var href: String?
        var action: String?
    }

    struct Form: Encodable {
        var id: String
        var title: String
        var action: String
        var fields: [Field]
        var submit: String
    }

    struct Field: Encodable {
        var name: String
        var label: String
        var type: String
        var required: Bool
        var options: [Option]
        var value: String
        var isSelect: Bool
        var isTextArea: Bool
        var isCheckbox: Bool
        var help: String?

        init(_ name: String, _ label: String, type: String = "text", required: Bool = false, options: [Option] = [], value: String = "", help: String? = nil) {
            self.name = name
            self.label = label
            self.type = type
            self.required = required
            self.options = options
            self.value = value
            isSelect = type == "select"
            isTextArea = type == "textarea"
            isCheckbox = type == "checkbox"
            self.help = help
        }
    }

    struct Option: Encodable {
        var value: String
        var label: String
    }
}

/// A JSON value built from a form, so admin forms post through the API's own request types and rules.
enum FormJSON: Encodable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// Reads the posted form: empty fields are left out, `integers` become numbers, `flags` become booleans (unchecked: false).
    static func body(from req: Request, integers: Set<String> = [], flags: Set<String> = []) throws -> [String: FormJSON] {
        let posted = try req.content.decode([String: String].self)
        var body: [String: FormJSON] = [:]
        for (key, value) in posted where key != CSRFProtection.field {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if flags.contains(key) { continue }
            guard !trimmed.isEmpty else { continue }
            if integers.contains(key) {
                guard let number = Int(trimmed) else { throw Problem.invalid(key, "must be a whole number") }
                body[key] = .int(number)
            } else {
                body[key] = .string(trimmed)
            }
        }
        for flag in flags { body[flag] = .bool(["on", "true", "1", "yes"].contains(posted[flag]?.lowercased() ?? "")) }
        return body
    }
}

extension Request {
    /// Replaces the form body with JSON for an API handler, which then applies its usual checks.
    func useJSON(_ body: [String: FormJSON]) throws {
        try content.encode(body, as: .json)
    }
}
