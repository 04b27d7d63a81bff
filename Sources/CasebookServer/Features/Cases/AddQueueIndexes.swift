import Fluent
import SQLKit

/// Indexes the console reads by: queue counts come from the index alone (status, assignee, group), queues by assignee or
/// group read in update order, and a customer's latest cases are read without sorting every case they ever filed.
struct AddQueueIndexes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_status_assignee_group").on("cases").column("status").column("assignee_id").column("group_id").run()
        try await sql.create(index: "cases_requester_created").on("cases").column("requester_id").column("created_at").run()
        try await sql.drop(index: "cases_requester").run()
        // Mine, unassigned and a group's queue walk these in update order and stop after one page.
        try await sql.create(index: "cases_assignee_updated").on("cases").column("assignee_id").column("updated_at").column("number").run()
        try await sql.create(index: "cases_group_updated").on("cases").column("group_id").column("updated_at").column("number").run()
        try await sql.drop(index: "cases_assignee").run()
        try await sql.drop(index: "cases_group").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "cases_requester").on("cases").column("requester_id").run()
        try await sql.create(index: "cases_assignee").on("cases").column("assignee_id").run()
        try await sql.create(index: "cases_group").on("cases").column("group_id").run()
        try await sql.drop(index: "cases_assignee_updated").run()
        try await sql.drop(index: "cases_group_updated").run()
        try await sql.drop(index: "cases_requester_created").run()
        try await sql.drop(index: "cases_status_assignee_group").run()
    }
}
