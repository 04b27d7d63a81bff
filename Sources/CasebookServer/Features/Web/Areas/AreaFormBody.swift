import Foundation
import Vapor

/// Turns a posted area form into the JSON its API operation takes, and an entry's JSON back into form values.
enum AreaFormBody {
    /// What the request carries: JSON, or (for a `.body` field) raw text with its media type.
    enum Payload {
        case none
        case json(PageJSON)
        case text(String, contentType: HTTPMediaType)
    }

    /// Reads `posted` field by field. On an edit an emptied optional field is sent as null, so it can be cleared;
    /// on a create it is left out. A value that cannot be what the field needs is a problem naming the field.
    static func payload(for fields: [AreaField], posted: [String: String], clearsEmpty: Bool) throws -> Payload {
        if fields.isEmpty { return .none }
        if let raw = fields.first(where: { if case .body = $0.kind { return true } else { return false } }), case let .body(type) = raw.kind {
            let text = posted[raw.key] ?? ""
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw PageProblem(status: .unprocessableEntity, detail: "\(raw.label) is empty.", fields: [raw.key: "is empty"])
            }
            return .text(text, contentType: type)
        }
        var root: [String: PageJSON] = [:]
        var faults: [String: String] = [:]
        for field in fields {
            do {
                if let value = try value(of: field, posted: posted[field.key], clearsEmpty: clearsEmpty) {
                    set(value, at: field.key.split(separator: ".").map(String.init), in: &root)
                }
            } catch let fault as FieldFault {
                faults[field.key] = fault.message
            }
        }
        if let first = fields.first(where: { faults[$0.key] != nil }) {
            throw PageProblem(status: .unprocessableEntity, detail: "\(first.label) \(faults[first.key] ?? "").", fields: faults)
        }
        return .json(.object(root))
    }

    private struct FieldFault: Error {
        let message: String
    }

    private static func value(of field: AreaField, posted: String?, clearsEmpty: Bool) throws -> PageJSON? {
        let text = (posted ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if field.kind == .checkbox { return .bool(["on", "true", "1", "yes"].contains(text.lowercased())) }
        if text.isEmpty {
            if field.required { throw FieldFault(message: "is required") }
            switch field.kind {
            case .lines: return clearsEmpty ? .array([]) : nil
            default: return clearsEmpty ? .null : nil
            }
        }
        switch field.kind {
        case .number:
            guard let number = Int(text) else { throw FieldFault(message: "must be a whole number") }
            return .number(Double(number))
        case .lines:
            return .array(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(PageJSON.string))
        case .json:
            guard let json = PageJSON.parse(Data(text.utf8)) else { throw FieldFault(message: "is not valid JSON") }
            return json
        case .select where text == "true" || text == "false":
            return .bool(text == "true")
        default:
            return .string(text)
        }
    }

    private static func set(_ value: PageJSON, at path: [String], in object: inout [String: PageJSON]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            object[head] = value
            return
        }
        var inner = object[head]?.members ?? [:]
        set(value, at: Array(path.dropFirst()), in: &inner)
        object[head] = .object(inner)
    }

    /// The top-level JSON member a field belongs to ("targets" for "targets.urgent.first_response_minutes").
    static func group(of field: AreaField) -> String {
        String(field.key.split(separator: ".").first ?? "")
    }

    /// The top-level members with a field whose posted value differs from the entry's (blank and absent are alike).
    static func changedGroups(_ fields: [AreaField], posted: [String: String], current: [String: String]) -> Set<String> {
        func normal(_ text: String?) -> String { (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\r\n", with: "\n") }
        var groups = Set<String>()
        for field in fields where normal(posted[field.key]) != normal(current[field.key]) {
            if field.kind == .json, let new = PageJSON.parse(Data(normal(posted[field.key]).utf8)),
               let old = PageJSON.parse(Data(normal(current[field.key]).utf8)), new == old { continue }
            groups.insert(group(of: field))
        }
        return groups
    }

    /// The form's starting values from an entry: each field's value as text ("on" for a true checkbox).
    static func values(for fields: [AreaField], from entry: PageJSON) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields {
            guard let value = entry[field.key] else { continue }
            if field.kind == .checkbox {
                values[field.key] = value == .bool(true) ? "on" : ""
            } else if case let .bool(flag) = value {
                values[field.key] = flag ? "true" : "false"
            } else {
                values[field.key] = value.formText
            }
        }
        return values
    }
}

extension PageProblem: Error {}
