import Vapor

/// An RFC 9457 problem: the body of every error answer from the API.
struct Problem: Error, Sendable {
    let status: HTTPResponseStatus
    let slug: String
    let title: String
    let detail: String
    var fieldErrors: [FieldError] = []
    var headers: HTTPHeaders = [:]
    /// Extra members merged into the body, such as the current state of a case on a conflict.
    var extensions: [String: AnyEncodableValue] = [:]

    /// One invalid field, by JSON name.
    struct FieldError: Content, Equatable {
        let field: String
        let message: String
        /// The kind of fault, where the rule that found it names one.
        var code: String? = nil
    }

    static func notFound(_ what: String) -> Problem {
        Problem(status: .notFound, slug: "not-found", title: "Not found", detail: "\(what) was not found.")
    }

    static func forbidden(_ detail: String = "You may not do this.") -> Problem {
        Problem(status: .forbidden, slug: "forbidden", title: "Forbidden", detail: detail)
    }

    static func unauthorized() -> Problem {
        Problem(status: .unauthorized, slug: "unauthorized", title: "Sign-in required",
                detail: "Send an API token as 'Authorization: Bearer …' or sign in first.",
                headers: ["WWW-Authenticate": "Bearer realm=\"casebook\""])
    }

    static func invalid(_ field: String, _ message: String) -> Problem {
        Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request",
                detail: "Field '\(field)' \(message).", fieldErrors: [FieldError(field: field, message: message)])
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, slug: "bad-request", title: "Bad request", detail: detail)
    }

    static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, slug: "conflict", title: "Conflict", detail: detail)
    }
}

/// A type-erased encodable value, so problems can carry any extension member.
struct AnyEncodableValue: Encodable, Sendable {
    private let encodeValue: @Sendable (any Encoder) throws -> Void

    init<Value: Encodable & Sendable>(_ value: Value) {
        encodeValue = { encoder in try value.encode(to: encoder) }
    }

    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}

/// The JSON shape of a problem.
struct ProblemBody: Encodable {
    let problem: Problem
    let instance: String?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode("urn:casebook:problem:\(problem.slug)", forKey: Key("type"))
        try container.encode(problem.title, forKey: Key("title"))
        try container.encode(Int(problem.status.code), forKey: Key("status"))
        try container.encode(problem.detail, forKey: Key("detail"))
        if let instance { try container.encode(instance, forKey: Key("instance")) }
        if !problem.fieldErrors.isEmpty { try container.encode(problem.fieldErrors, forKey: Key("errors")) }
        for (name, value) in problem.extensions.sorted(by: { $0.key < $1.key }) {
            try container.encode(value, forKey: Key(name))
        }
    }
}
