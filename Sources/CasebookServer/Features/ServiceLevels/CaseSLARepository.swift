import CasebookCore
import Foundation
import SQLKit

/// Cases' service-level state as the SLA queue reads it.
enum CaseSLARepository {
    /// Open cases whose clocks are in one of these states, soonest due first.
    static func queue(states: [SLAState], limit: Int, prefix: String, on sql: any SQLDatabase) async throws -> [SLAQueueItem] {
        try await sql.raw("""
            SELECT cases.number AS number, cases.subject AS subject, cases.priority AS priority, cases.status AS status,
                   cases.assignee_id AS assignee_id, case_sla.state AS state, case_sla.earliest_due_at AS earliest_due_at
            FROM case_sla JOIN cases ON cases.id = case_sla.case_id
            WHERE case_sla.state IN (\(binds: states.map(\.rawValue))) AND cases.status NOT IN ('solved', 'closed')
            ORDER BY case_sla.earliest_due_at IS NULL, case_sla.earliest_due_at, cases.number
            LIMIT \(bind: limit)
            """).all().map { row in
                SLAQueueItem(reference: Reference(prefix: prefix, number: try row.decode(column: "number", as: Int.self)).description,
                             subject: try row.decode(column: "subject", as: String.self), priority: try row.decode(column: "priority", as: String.self),
                             status: try row.decode(column: "status", as: String.self), assigneeID: try row.decode(column: "assignee_id", as: UUID?.self),
                             state: SLAState(rawValue: try row.decode(column: "state", as: String.self)) ?? .running,
                             earliestDueAt: try row.decode(column: "earliest_due_at", as: Date?.self))
            }
    }
}
