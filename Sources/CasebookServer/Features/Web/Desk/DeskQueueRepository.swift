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

    typealias QueueCounts = (mine: Int, unassigned: Int, all: Int, breaching: Int, breached: Int, groups: [(UUID, String, Int)])

    /// Counts for every queue: from the tallies, with "mine" and the service-level states counted.
    static func counts(me: UUID, on sql: any SQLDatabase) async throws -> QueueCounts {
        let standing = try await sql.raw("""
            SELECT SUM(CASE WHEN case_sla.state = 'warning' THEN 1 ELSE 0 END) AS warning,
                   SUM(CASE WHEN case_sla.state = 'breached' THEN 1 ELSE 0 END) AS breached
            FROM case_sla JOIN cases ON cases.id = case_sla.case_id
            WHERE case_sla.state IN ('warning', 'breached') AND cases.status IN (\(binds: activeStatuses))
            """).first()
        let breaching = try standing?.decode(column: "warning", as: Int?.self) ?? 0, breached = try standing?.decode(column: "breached", as: Int?.self) ?? 0
        let tallies = try await CaseTallyRepository.tallies(statuses: activeStatuses, on: sql)
        return try await fromTallies(tallies, me: me, breaching: breaching, breached: breached, on: sql)
    }

    /// The counts from the tallies, with only "mine" counted (a few index seeks for one agent's open cases).
    private static func fromTallies(_ tallies: [CaseTallyRepository.Tally], me: UUID, breaching: Int, breached: Int,
                                    on sql: any SQLDatabase) async throws -> QueueCounts {
        let mine = try await sql.raw("""
            SELECT COUNT(*) AS n FROM cases WHERE status IN (\(binds: activeStatuses)) AND assignee_id = \(bind: me)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
        var perGroup: [UUID: Int] = [:]
        for tally in tallies { if let group = tally.groupID { perGroup[group, default: 0] += tally.cases } }
        // Retired groups stay listed while they still hold open cases.
        let groups = try await sql.raw("SELECT id, name, retired_at FROM groups ORDER BY name").all().compactMap { row -> (UUID, String, Int)? in
            let id = try row.decode(column: "id", as: UUID.self), count = perGroup[id] ?? 0
            guard try row.decode(column: "retired_at", as: Date?.self) == nil || count > 0 else { return nil }
            return (id, try row.decode(column: "name", as: String.self), count)
        }
        return (mine, tallies.filter(\.unassigned).reduce(0) { $0 + $1.cases }, tallies.reduce(0) { $0 + $1.cases }, breaching, breached, groups)
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
