import CasebookCore
import Foundation
import SQLKit

/// What the desk's queue page reads besides the cases themselves: queue counts, service-level standings, saved filters.
enum DeskQueueRepository {
    static let activeStatuses = DeskQueue.activeStatuses

    /// A person's saved filters, by name.
    static func savedFilters(of userID: UUID, on sql: any SQLDatabase) async throws -> [(id: UUID, name: String, query: String)] {
        try await sql.select().columns("id", "name", "query").from("saved_filters").where("user_id", .equal, userID).orderBy("name").all()
            .map { (id: try $0.decode(column: "id", as: UUID.self), name: try $0.decode(column: "name", as: String.self), query: try $0.decode(column: "query", as: String.self)) }
    }

    /// Saves a filter; a second one with the same name for the same person breaks the table's unique key.
    static func saveFilter(name: String, query: String, of userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "saved_filters").columns("id", "user_id", "name", "query", "created_at")
            .values(SQLBind(RecordID.make()), SQLBind(userID), SQLBind(name), SQLBind(query), SQLBind(now)).run()
    }

    /// Deletes one of the person's own filters; someone else's id deletes nothing.
    static func deleteFilter(_ id: UUID, of userID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "saved_filters").where("id", .equal, id).where("user_id", .equal, userID).run()
    }

    /// Counts for every queue in a few queries over the open cases (indexed by status).
    static func counts(me: UUID, on sql: any SQLDatabase) async throws
        -> (mine: Int, unassigned: Int, all: Int, breaching: Int, breached: Int, groups: [(UUID, String, Int)]) {
        let totals = try await sql.raw("""
            SELECT COUNT(*) AS total,
                   SUM(CASE WHEN assignee_id = \(bind: me) THEN 1 ELSE 0 END) AS mine,
                   SUM(CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END) AS unassigned
            FROM cases WHERE status IN (\(binds: activeStatuses))
            """).first()
        let standing = try await sql.raw("""
            SELECT SUM(CASE WHEN case_sla.state = 'warning' THEN 1 ELSE 0 END) AS warning,
                   SUM(CASE WHEN case_sla.state = 'breached' THEN 1 ELSE 0 END) AS breached
            FROM case_sla JOIN cases ON cases.id = case_sla.case_id
            WHERE case_sla.state IN ('warning', 'breached') AND cases.status IN (\(binds: activeStatuses))
            """).first()
        let groups = try await sql.raw("""
            SELECT g.id AS id, g.name AS name, COUNT(c.id) AS n FROM groups g
            LEFT JOIN cases c ON c.group_id = g.id AND c.status IN (\(binds: activeStatuses))
            GROUP BY g.id, g.name, g.retired_at HAVING g.retired_at IS NULL OR COUNT(c.id) > 0 ORDER BY g.name
            """).all().map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "name", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        return (try totals?.decode(column: "mine", as: Int?.self) ?? 0, try totals?.decode(column: "unassigned", as: Int?.self) ?? 0,
                try totals?.decode(column: "total", as: Int.self) ?? 0, try standing?.decode(column: "warning", as: Int?.self) ?? 0,
                try standing?.decode(column: "breached", as: Int?.self) ?? 0, groups)
    }

    /// Open cases whose service level is in `state` (`warning`: breaching soon; `breached`), soonest due first.
    static func standing(_ state: String, limit: Int, on sql: any SQLDatabase) async throws -> [CaseRecord] {
        let ids = try await sql.raw("""
            SELECT cases.id AS id FROM case_sla JOIN cases ON cases.id = case_sla.case_id
            WHERE case_sla.state = \(bind: state) AND cases.status IN (\(binds: activeStatuses))
            ORDER BY case_sla.earliest_due_at IS NULL, case_sla.earliest_due_at, cases.number LIMIT \(unsafeRaw: String(limit))
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        return try await CaseRepository.find(ids: ids, on: sql)
    }

    /// Each case's service-level state and the earliest due time among its running targets.
    static func serviceLevelStates(of ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: (state: String, due: Date?)] {
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: (state: String, due: Date?)] = [:]
        for row in try await sql.select().columns("case_id", "state", "earliest_due_at").from("case_sla").where("case_id", .in, SQLBind.group(ids)).all() {
            result[try row.decode(column: "case_id", as: UUID.self)] = (try row.decode(column: "state", as: String.self), try row.decode(column: "earliest_due_at", as: Date?.self))
        }
        return result
    }
}
