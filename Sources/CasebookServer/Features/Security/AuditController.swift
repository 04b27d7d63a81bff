import CasebookCore
import Foundation
import Vapor

/// `/audit-events`: the audit log, searchable, one entry at a time with its before and after, and exportable.
/// There is no way to change or remove an entry, here or anywhere.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let events = routes.grouped("audit-events")
        events.get(use: list)
        events.get("export", use: export)
        events.get(":id", use: show)
    }

    @Sendable func list(req: Request) async throws -> [AuditEventView] {
        try req.authorize(.manageSecurity)
        var query = try Self.query(req)
        query.limit = try req.query[Int.self, at: "limit"].map { limit in
            guard (1...500).contains(limit) else { throw Problem.badRequest("Query parameter 'limit' must be between 1 and 500.") }
            return limit
        } ?? 100
        if let before = req.query[String.self, at: "before"] {
            guard let id = UUID(uuidString: before) else { throw Problem.badRequest("Query parameter 'before' must be an entry's id.") }
            guard let entry = try await AuditLogRepository.find(id: id, on: req.store.sql) else { throw Problem.badRequest("Query parameter 'before' names no entry.") }
            query.olderThan = entry.id
        }
        return try await AuditLogRepository.find(query, on: req.store.sql).map { AuditEventView($0, full: false) }
    }

    @Sendable func show(req: Request) async throws -> AuditEventView {
        try req.authorize(.manageSecurity)
        guard let id = req.parameters.get("id", as: UUID.self), let event = try await AuditLogRepository.find(id: id, on: req.store.sql)
        else { throw Problem.notFound("The audit entry") }
        return AuditEventView(event, full: true)
    }

    /// Every matching entry (up to 100,000) as CSV or JSON Lines; taking the export is itself recorded.
    @Sendable func export(req: Request) async throws -> Response {
        try req.authorize(.manageSecurity)
        var query = try Self.query(req)
        query.limit = 100_000
        let format = req.query[String.self, at: "format"] ?? "csv"
        guard ["csv", "jsonl"].contains(format) else { throw Problem.badRequest("Query parameter 'format' must be csv or jsonl.") }
        let events = try await AuditLogRepository.find(query, on: req.store.sql)
        let body = format == "csv" ? AuditExport.csv(events) : try AuditExport.jsonLines(events)
        let response = Response(status: .ok, body: .init(string: body))
        response.headers.contentType = format == "csv" ? HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            : HTTPMediaType(type: "application", subType: "jsonl")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"casebook-audit.\(format)\"")
        return response
    }

    private static func query(_ req: Request) throws -> AuditQuery {
        var query = AuditQuery()
        query.text = req.query[String.self, at: "q"]
        if let category = req.query[String.self, at: "category"], !category.isEmpty {
            guard let value = AuditScope.Category(rawValue: category) else {
                throw Problem.badRequest("Query parameter 'category' must be one of " + AuditScope.Category.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            query.category = value
        }
        if let actor = req.query[String.self, at: "actor_id"], !actor.isEmpty {
            guard let id = UUID(uuidString: actor) else { throw Problem.badRequest("Query parameter 'actor_id' must be an id.") }
            query.actorID = id
        }
        query.subjectType = req.query[String.self, at: "subject_type"].flatMap { $0.isEmpty ? nil : $0 }
        query.subjectID = req.query[String.self, at: "subject_id"].flatMap { $0.isEmpty ? nil : $0 }
        query.since = try Self.date(req, "since")
        query.until = try Self.date(req, "until")
        return query
    }

    private static func date(_ req: Request, _ name: String) throws -> Date? {
        guard let text = req.query[String.self, at: name], !text.isEmpty else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return day }
        throw Problem.badRequest("Query parameter '\(name)' must be a date (2026-12-04) or a time (2026-12-04T09:30:00Z).")
    }
}

/// One audit entry as the API shows it; the list leaves the before and after out.
struct AuditEventView: Content {
    var id: UUID
    var at: Date
    var actorID: UUID?
    var actorEmail: String?
    var client: String?
    var category: String
    var action: String
    var subjectType: String?
    var subjectID: String?
    var outcome: Int
    var before: String?
    var after: String?

    init(_ event: AuditEvent, full: Bool) {
        id = event.id
        at = event.at
        actorID = event.actorID
        actorEmail = event.actorEmail
        client = event.client
        category = event.category.rawValue
        action = event.action
        subjectType = event.subjectType
        subjectID = event.subjectID
        outcome = event.outcome
        before = full ? event.before : nil
        after = full ? event.after : nil
    }

    enum CodingKeys: String, CodingKey {
        case id, at, client, category, action, outcome, before, after
        case actorID = "actor_id", actorEmail = "actor_email", subjectType = "subject_type", subjectID = "subject_id"
    }
}

/// The audit log as files an auditor opens: CSV (formula-guarded) and JSON Lines.
enum AuditExport {
    static func csv(_ events: [AuditEvent]) -> String {
        var lines = ["at,actor_email,actor_id,client,category,action,subject_type,subject_id,outcome,before,after"]
        let stamp = ISO8601DateFormatter()
        for event in events {
            let fields: [String?] = [stamp.string(from: event.at), event.actorEmail, event.actorID?.uuidString.lowercased(), event.client,
                                     event.category.rawValue, event.action, event.subjectType, event.subjectID, String(event.outcome),
                                     event.before, event.after]
            lines.append(fields.map { CSVField.quote($0 ?? "") }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func jsonLines(_ events: [AuditEvent]) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try events.map { String(decoding: try encoder.encode(AuditEventView($0, full: true)), as: UTF8.self) }.joined(separator: "\n") + "\n"
    }
}
