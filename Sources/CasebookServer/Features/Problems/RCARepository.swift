import CasebookCore
import Foundation
import SQLKit

/// Root-cause reports: an internal version and a customer version (reviewed before it is sent), stored as JSON documents.
enum RCARepository {
    typealias View = RCAController.RCAView
    typealias CustomerStatus = RCAController.CustomerStatus

    private static let select = "SELECT r.*, c.number FROM rca_reports r LEFT JOIN cases c ON c.id = r.case_id"

    static func find(_ id: UUID, prefix: String, on sql: any SQLDatabase) async throws -> View? {
        try await sql.raw(SQLQueryString(select) + " WHERE r.id = \(bind: id)").first().map { try view($0, prefix: prefix) }
    }

    /// The 200 most recently changed reports, optionally about one problem.
    static func list(problemID: UUID?, prefix: String, on sql: any SQLDatabase) async throws -> [View] {
        var query = SQLQueryString(select)
        if let problemID { query = query + " WHERE r.problem_id = \(bind: problemID)" }
        return try await sql.raw(query + " ORDER BY r.updated_at DESC LIMIT 200").all().map { try view($0, prefix: prefix) }
    }

    static func insert(id: UUID, caseID: UUID?, problemID: UUID?, title: String, internalVersion: RCADocument, by userID: UUID, at now: Date,
                       on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "rca_reports")
            .columns("id", "case_id", "problem_id", "title", "internal", "customer", "customer_status", "created_by", "created_at", "updated_at")
            .values(SQLBind(id), SQLBind(caseID), SQLBind(problemID), SQLBind(title), SQLBind(try json(internalVersion)),
                    SQLBind(try json(RCADocument())), SQLBind(CustomerStatus.draft.rawValue), SQLBind(userID), SQLBind(now), SQLBind(now))
            .run()
    }

    /// A change to a report: any of its title and versions; a new customer version goes back to draft, unreviewed.
    struct Change: Sendable {
        var title: String?
        var internalVersion: RCADocument?
        var customerVersion: RCADocument?
    }

    static func update(_ id: UUID, _ change: Change, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        var update = sql.update("rca_reports").set("updated_at", to: now)
        if let title = change.title { update = update.set("title", to: title) }
        if let document = change.internalVersion { update = update.set("internal", to: try json(document)) }
        if let document = change.customerVersion {
            update = update.set("customer", to: try json(document)).set("customer_status", to: CustomerStatus.draft.rawValue)
                .set("customer_edited_by", to: userID).set("reviewed_by", to: SQLLiteral.null).set("reviewed_at", to: SQLLiteral.null)
        }
        try await update.where("id", .equal, id).run()
    }

    /// Moves the customer version's review state; approving records who reviewed it.
    static func setCustomerStatus(_ id: UUID, to next: CustomerStatus, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        var update = sql.update("rca_reports").set("customer_status", to: next.rawValue).set("updated_at", to: now)
        if next == .approved { update = update.set("reviewed_by", to: userID).set("reviewed_at", to: now) }
        try await update.where("id", .equal, id).run()
    }

    static func customerEditor(of id: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        try await sql.select().column("customer_edited_by").from("rca_reports").where("id", .equal, id).first()?
            .decode(column: "customer_edited_by", as: UUID?.self)
    }

    /// Keeps what was sent, to whom and when.
    static func markSent(_ id: UUID, to recipients: [String], text: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("rca_reports").set("customer_status", to: CustomerStatus.sent.rawValue).set("sent_at", to: now)
            .set("sent_to", to: recipients.joined(separator: ",")).set("sent_text", to: text).set("updated_at", to: now)
            .where("id", .equal, id).run()
    }

    /// The customer versions sent for a case or for the problem it is linked to, oldest first.
    static func sent(forCase caseID: UUID, on sql: any SQLDatabase) async throws -> [(title: String, sentAt: Date, text: String)] {
        try await sql.raw("""
            SELECT title, sent_at, sent_text FROM rca_reports WHERE customer_status = 'sent' AND (case_id = \(bind: caseID)
            OR problem_id IN (SELECT problem_id FROM problem_cases WHERE case_id = \(bind: caseID))) ORDER BY sent_at
            """).all().map {
                (try $0.decode(column: "title", as: String.self), try $0.decode(column: "sent_at", as: Date.self), try $0.decode(column: "sent_text", as: String.self))
            }
    }

    /// A case's creation and status changes, in order, to start a report's timeline from.
    static func caseMilestones(of caseID: UUID, on sql: any SQLDatabase) async throws -> [(at: Date, kind: String, value: String)] {
        try await sql.raw("""
            SELECT created_at, kind, field, new_value FROM timeline_entries WHERE case_id = \(bind: caseID)
            AND (kind = 'created' OR (kind = 'field_changed' AND field = 'status')) ORDER BY position LIMIT 200
            """).all().map {
                (try $0.decode(column: "created_at", as: Date.self), try $0.decode(column: "kind", as: String.self),
                 try $0.decode(column: "new_value", as: String?.self) ?? "")
            }
    }

    static func json(_ document: RCADocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    private static func view(_ row: any SQLRow, prefix: String) throws -> View {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return View(
            id: try row.decode(column: "id", as: UUID.self),
            caseReference: try row.decode(column: "number", as: Int?.self).map { Reference(prefix: prefix, number: $0).description },
            problemID: try row.decode(column: "problem_id", as: UUID?.self), title: try row.decode(column: "title", as: String.self),
            internalVersion: try decoder.decode(RCADocument.self, from: Data(try row.decode(column: "internal", as: String.self).utf8)),
            customerVersion: try decoder.decode(RCADocument.self, from: Data(try row.decode(column: "customer", as: String.self).utf8)),
            customerStatus: CustomerStatus(rawValue: try row.decode(column: "customer_status", as: String.self)) ?? .draft,
            reviewedBy: try row.decode(column: "reviewed_by", as: UUID?.self), reviewedAt: try row.decode(column: "reviewed_at", as: Date?.self),
            sentAt: try row.decode(column: "sent_at", as: Date?.self),
            sentTo: try row.decode(column: "sent_to", as: String?.self).map { $0.split(separator: ",").map(String.init) },
            createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
