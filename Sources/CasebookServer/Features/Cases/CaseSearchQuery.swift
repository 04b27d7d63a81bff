import CasebookCore
import Foundation
import Vapor

/// The filters, sort and page a caller asked for, checked and typed.
struct CaseSearchQuery: Sendable {
    enum SortField: String, Sendable {
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case priority
        case number

        var column: String {
            switch self {
            case .createdAt: "created_at"
            case .updatedAt: "updated_at"
            case .priority: "priority_rank"
            case .number: "number"
            }
        }
    }

    /// Where the previous page ended: the sort value and the case number.
    struct Cursor: Codable, Sendable {
        var value: Double
        var number: Int

        enum CodingKeys: String, CodingKey {
            case value = "v"
            case number = "n"
        }
    }

    var terms: [String] = []
    /// A case number when the search text is a reference (`CB-10001`, `[CB-10001]`, `10001`): that case matches too.
    var number: Int?
    /// The search text as typed, matched against the requester's name and address and the organisation's name.
    var who: String?
    var statuses: [CaseStatus] = []
    var priorities: [Priority] = []
    var types: [CaseType] = []
    var tones: [Tone] = []
    var assignee: AssigneeFilter?
    var uuidFilters: [(column: String, value: UUID)] = []
    var tag: String?
    var createdAfter: Date?
    var createdBefore: Date?
    var updatedAfter: Date?
    var updatedBefore: Date?
    var sort: SortField = .updatedAt
    var descending = true
    var limit = 25
    var cursor: Cursor?

    enum AssigneeFilter: Sendable {
        case user(UUID)
        case nobody
    }

    static let allowedKeys: Set<String> = [
        "q", "status", "priority", "type", "assignee_id", "group_id", "organisation_id", "product_id", "product_version_id",
        "category_id", "requester_id", "tag", "created_after", "created_before", "updated_after", "updated_before", "sort",
        "limit", "cursor", "tone",
    ]

    /// Reads the query string; every bad value is a 400 naming the parameter.
    init(from request: Request, me: UUID) throws {
        try self.init(raw: Self.parameters(of: request), me: me)
    }

    /// Reads already-split parameters (the console builds them from its queue views).
    init(raw: [String: String], me: UUID) throws {
        if let unknown = raw.keys.sorted().first(where: { !Self.allowedKeys.contains($0) }) {
            throw Problem.badRequest("Query parameter '\(unknown)' is not supported.")
        }
        terms = SearchTerms.terms(from: raw["q"] ?? "")
        if let text = raw["q"]?.trimmingCharacters(in: .whitespaces), !terms.isEmpty {
            number = Reference(parsing: text, defaultPrefix: "CB").map(\.number).flatMap { $0 <= 1_000_000_000 ? $0 : nil }
            let plain = String(text.lowercased().filter { $0 != "%" && $0 != "_" && $0 != "\\" }.prefix(100))
            who = plain.count >= 2 ? plain : nil
        }
        statuses = try Self.list(raw["status"], "status", CaseStatus.init(rawValue:))
        priorities = try Self.list(raw["priority"], "priority", Priority.init(rawValue:))
        types = try Self.list(raw["type"], "type", CaseType.init(rawValue:))
        tones = try Self.list(raw["tone"], "tone", Tone.init(rawValue:))
        if let value = raw["assignee_id"] {
            switch value {
            case "me": assignee = .user(me)
            case "none": assignee = .nobody
            default: assignee = .user(try Self.uuid(value, "assignee_id"))
            }
        }
        for (key, column) in [("group_id", "group_id"), ("organisation_id", "organisation_id"), ("product_id", "product_id"),
                              ("product_version_id", "product_version_id"), ("category_id", "category_id"),
                              ("requester_id", "requester_id")] {
            if let value = raw[key] { uuidFilters.append((column, try Self.uuid(value, key))) }
        }
        tag = raw["tag"].map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        createdAfter = try raw["created_after"].map { try Self.date($0, "created_after") }
        createdBefore = try raw["created_before"].map { try Self.date($0, "created_before") }
        updatedAfter = try raw["updated_after"].map { try Self.date($0, "updated_after") }
        updatedBefore = try raw["updated_before"].map { try Self.date($0, "updated_before") }
        if let sortText = raw["sort"] {
            descending = sortText.hasPrefix("-")
            guard let field = SortField(rawValue: String(sortText.drop(while: { $0 == "-" }))) else {
                throw Problem.badRequest("Query parameter 'sort' must be one of created_at, updated_at, priority, number (prefix - for descending).")
            }
            sort = field
        }
        if let limitText = raw["limit"] {
            guard let value = Int(limitText), (1...100).contains(value) else {
                throw Problem.badRequest("Query parameter 'limit' must be a whole number from 1 to 100.")
            }
            limit = value
        }
        if let cursorText = raw["cursor"] { cursor = try Self.decodeCursor(cursorText) }
    }

    static func encodeCursor(_ cursor: Cursor) -> String {
        let data = (try? JSONEncoder().encode(cursor)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeCursor(_ text: String) throws -> Cursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 200, let data = Data(base64Encoded: base64),
              let cursor = try? JSONDecoder().decode(Cursor.self, from: data), cursor.value.isFinite, abs(cursor.value) <= 1e15
        else { throw Problem.badRequest("Query parameter 'cursor' is not a cursor this API returned.") }
        return cursor
    }

    private static func parameters(of request: Request) -> [String: String] {
        guard let query = request.url.query else { return [:] }
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") : ""
            result[key] = value
        }
        return result
    }

    private static func list<T>(_ text: String?, _ name: String, _ make: (String) -> T?) throws -> [T] {
        guard let text, !text.isEmpty else { return [] }
        return try text.split(separator: ",").map { part in
            guard let value = make(String(part)) else { throw Problem.badRequest("Query parameter '\(name)' has an unknown value '\(part.prefix(40))'.") }
            return value
        }
    }

    private static func uuid(_ text: String, _ name: String) throws -> UUID {
        guard let value = UUID(uuidString: text) else { throw Problem.badRequest("Query parameter '\(name)' must be an id.") }
        return value
    }

    static func date(_ text: String, _ name: String) throws -> Date {
        if let date = ISO8601Parsing.date(text) { return date }
        throw Problem.badRequest("Query parameter '\(name)' must be an ISO 8601 date or date-time.")
    }
}

/// Parses the ISO 8601 forms people send: date-times with or without fractions, and plain dates.
enum ISO8601Parsing {
    static func date(_ text: String) -> Date? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        if let date = plain.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
