import Foundation

/// A JSON value as the document and a response hold it; decoding through `JSONDecoder` keeps `true` and `1` apart.
indirect enum JSONValue: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    var string: String? { if case let .string(s) = self { return s }; return nil }
    var array: [JSONValue]? { if case let .array(a) = self { return a }; return nil }
    var object: [String: JSONValue]? { if case let .object(o) = self { return o }; return nil }
}

/// Checks every API response the suite sees against the OpenAPI document: the operation must exist, a success must
/// be a documented status, and a JSON body must match the documented schema.
enum OpenAPIResponseCheck {
    static let document: JSONValue = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/CasebookServer/Resources/openapi.json")
        guard let data = try? Data(contentsOf: url), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            fatalError("the OpenAPI document could not be read at \(url.path)")
        }
        return value
    }()

    /// Path templates split into segments, literal ones first so `/cases/similar` beats `/cases/{reference}`.
    static let templates: [(template: String, segments: [String])] = {
        (document["paths"]?.object ?? [:]).keys.map { ($0, $0.split(separator: "/").map(String.init)) }
            .sorted { $0.segments.filter { $0.hasPrefix("{") }.count < $1.segments.filter { $0.hasPrefix("{") }.count }
    }()

    /// What is wrong with this response by the document; empty when it conforms (or is not the API's).
    static func violations(method: String, path: String, status: UInt, contentType: String?, body: Data) -> [String] {
        let bare = String(path.split(separator: "?", maxSplits: 1).first ?? "")
        guard bare.hasPrefix("/api/v1/") else { return [] }
        let segments = bare.split(separator: "/").map(String.init)
        guard let template = templates.first(where: { matches($0.segments, segments) })?.template,
              let operation = document["paths"]?[template]?[method.lowercased()] else {
            // Unknown paths answer 404 and unknown methods 405, both documented nowhere and fine.
            return status == 404 || status == 405 ? [] : ["\(method) \(bare): no such operation in the document (answered \(status))"]
        }
        let responses = operation["responses"]?.object ?? [:]
        guard let response = responses[String(status)] ?? responses["default"] else {
            return (200..<300).contains(status) ? ["\(method) \(template): status \(status) is not documented"] : []
        }
        guard let type = contentType?.split(separator: ";").first.map(String.init), type.hasSuffix("json"), !body.isEmpty,
              let schema = response["content"]?[type]?["schema"] ?? response["content"]?["application/json"]?["schema"] else { return [] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else { return ["\(method) \(template): the body is not JSON"] }
        var problems: [String] = []
        check(value, against: schema, at: "$", into: &problems)
        return problems.prefix(5).map { "\(method) \(template) \(status): \($0)" }
    }

    static func matches(_ template: [String], _ path: [String]) -> Bool {
        template.count == path.count && zip(template, path).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    static func resolve(_ schema: JSONValue) -> JSONValue {
        guard let ref = schema["$ref"]?.string, ref.hasPrefix("#/") else { return schema }
        var node = document
        for part in ref.dropFirst(2).split(separator: "/") { node = node[String(part)] ?? .null }
        return resolve(node)
    }

    static func check(_ value: JSONValue, against raw: JSONValue, at path: String, into problems: inout [String]) {
        let schema = resolve(raw)
        if let all = schema["allOf"]?.array { for part in all { check(value, against: part, at: path, into: &problems) } }
        for key in ["oneOf", "anyOf"] {
            if let options = schema[key]?.array {
                let fits = options.contains { option in
                    var scratch: [String] = []
                    check(value, against: option, at: path, into: &scratch)
                    return scratch.isEmpty
                }
                if !fits { problems.append("\(path) matches none of its \(key) options") }
            }
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) { problems.append("\(path) = \(describe(value)) is not among \(describe(.array(allowed)))") }
        let types: [String] = schema["type"].map { $0.array?.compactMap(\.string) ?? [$0.string].compactMap { $0 } } ?? []
        if schema["nullable"] == .bool(true), value == .null { return }
        guard !types.isEmpty else { return }
        guard types.contains(where: { fits(value, type: $0) }) else {
            problems.append("\(path) is \(describe(value)), expected \(types.joined(separator: " or "))")
            return
        }
        switch value {
        case let .object(members):
            let properties = schema["properties"]?.object ?? [:]
            for required in schema["required"]?.array?.compactMap(\.string) ?? [] where members[required] == nil {
                problems.append("\(path).\(required) is required but missing")
            }
            for (name, member) in members {
                if let property = properties[name] {
                    check(member, against: property, at: "\(path).\(name)", into: &problems)
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path).\(name) is not in the document")
                } else if let extra = schema["additionalProperties"], extra.object != nil {
                    check(member, against: extra, at: "\(path).\(name)", into: &problems)
                }
            }
        case let .array(items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { check(item, against: itemSchema, at: "\(path)[\(index)]", into: &problems) }
            }
        default:
            break
        }
    }

    static func fits(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array), ("object", .object): true
        case let ("integer", .number(n)): n == n.rounded()
        default: false
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case let .bool(b): "\(b)"
        case let .number(n): "\(n)"
        case let .string(s): "\"\(s.prefix(60))\""
        case let .array(a): "[" + a.prefix(20).map(describe).joined(separator: ", ") + "]"
        case .object: "an object"
        }
    }
}
