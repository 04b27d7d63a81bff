import CasebookCore
import Foundation
import SQLKit

/// How one case stands to another.
enum CaseLinkKind: String, Codable, Sendable, CaseIterable {
    case related
    /// This case is part of the other (a child of its parent).
    case childOf = "child_of"
    /// This case asks what the other already asks.
    case duplicateOf = "duplicate_of"
    /// This case was merged into the other: closed, its conversation copied there, its mail going there.
    case mergedInto = "merged_into"

    /// The kinds an agent chooses when linking; merging makes its own.
    static let chosenByHand: [CaseLinkKind] = [.related, .childOf, .duplicateOf]

    /// The words seen from this case, or (`inverse`) from the other one.
    func words(inverse: Bool) -> String {
        switch (self, inverse) {
        case (.related, _): "related to"
        case (.childOf, false): "part of"
        case (.childOf, true): "parent of"
        case (.duplicateOf, false): "duplicate of"
        case (.duplicateOf, true): "has duplicate"
        case (.mergedInto, false): "merged into"
        case (.mergedInto, true): "merged from"
        }
    }
}

/// One link as a case sees it: the other case and how this one stands to it.
struct CaseLinkView: Codable, Sendable {
    var id: UUID
    var reference: String
    var subject: String
    var status: String
    var relation: String
    var kind: CaseLinkKind
    var createdAt: Date

    enum CodingKeys: String, CodingKey { case id, reference, subject, status, relation, kind, createdAt = "created_at" }
}

/// The `case_links` table, read from either end.
enum CaseLinkRepository {
    static func add(_ caseID: UUID, to otherID: UUID, kind: CaseLinkKind, by userID: UUID?, at now: Date, on sql: any SQLDatabase) async throws -> UUID {
        let id = RecordID.make()
        try await sql.insert(into: "case_links").columns("id", "case_id", "other_case_id", "kind", "created_by", "created_at")
            .values(SQLBind(id), SQLBind(caseID), SQLBind(otherID), SQLBind(kind.rawValue), SQLBind(userID), SQLBind(now)).run()
        return id
    }

    /// Whether the two cases are linked already, either way round.
    static func exists(_ a: UUID, _ b: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("""
            SELECT 1 AS x FROM case_links WHERE (case_id = \(bind: a) AND other_case_id = \(bind: b)) OR (case_id = \(bind: b) AND other_case_id = \(bind: a))
            """).first() != nil
    }

    /// The links of one case, from both ends, oldest first.
    static func of(_ caseID: UUID, prefix: String, on sql: any SQLDatabase) async throws -> [CaseLinkView] {
        try await sql.raw("""
            SELECT l.id AS id, l.kind AS kind, l.created_at AS created_at, 0 AS inverse, c.number AS number, c.subject AS subject, c.status AS status
            FROM case_links l JOIN cases c ON c.id = l.other_case_id
            WHERE l.case_id = \(bind: caseID)
            UNION ALL
            SELECT l.id AS id, l.kind AS kind, l.created_at AS created_at, 1 AS inverse, c.number AS number, c.subject AS subject, c.status AS status
            FROM case_links l JOIN cases c ON c.id = l.case_id
            WHERE l.other_case_id = \(bind: caseID)
            ORDER BY created_at
            """).all().map { row in
                let kind = CaseLinkKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .related
                return CaseLinkView(id: try row.decode(column: "id", as: UUID.self),
                                    reference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                                    subject: try row.decode(column: "subject", as: String.self), status: try row.decode(column: "status", as: String.self),
                                    relation: kind.words(inverse: try row.decode(column: "inverse", as: Int.self) == 1), kind: kind,
                                    createdAt: try row.decode(column: "created_at", as: Date.self))
            }
    }

    /// The link with this id if it touches the case; returns the other case's id.
    static func find(_ id: UUID, touching caseID: UUID, on sql: any SQLDatabase) async throws -> (other: UUID, kind: CaseLinkKind)? {
        guard let row = try await sql.select().columns("case_id", "other_case_id", "kind").from("case_links").where("id", .equal, id).first() else { return nil }
        let (a, b) = (try row.decode(column: "case_id", as: UUID.self), try row.decode(column: "other_case_id", as: UUID.self))
        guard a == caseID || b == caseID else { return nil }
        return (a == caseID ? b : a, CaseLinkKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .related)
    }

    /// The case a merged case lives on in, following merges of merges; nil when it was not merged.
    static func survivor(of caseID: UUID, on sql: any SQLDatabase) async throws -> UUID? {
        var current = caseID
        var found: UUID?
        for _ in 0..<10 {
            guard let next = try await sql.select().column("other_case_id").from("case_links").where("case_id", .equal, current)
                .where("kind", .equal, CaseLinkKind.mergedInto.rawValue).first()?.decode(column: "other_case_id", as: UUID.self) else { break }
            found = next
            current = next
        }
        return found
    }

    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_links").where("id", .equal, id).run()
    }

    /// Removes every link of cases that are deleted.
    static func deleteAll(of caseIDs: [UUID], on sql: any SQLDatabase) async throws {
        guard !caseIDs.isEmpty else { return }
        try await sql.delete(from: "case_links").where("case_id", .in, SQLBind.group(caseIDs)).run()
        try await sql.delete(from: "case_links").where("other_case_id", .in, SQLBind.group(caseIDs)).run()
    }
}
