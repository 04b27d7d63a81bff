import CasebookCore
import Foundation
import SQLKit

/// What service-level clocks read and keep: the case facts they run on (in few statements for many cases at once) and
/// each case's stored standing in `case_sla`.
enum CaseClockRepository {
    static let clockColumns = ["id", "number", "type", "status", "priority", "organisation_id", "product_id", "channel", "created_at", "updated_at"]

    /// Cases with only `clockColumns` read; the other fields keep their defaults.
    static func clockRecords(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [CaseRecord] {
        try await sql.select().columns(clockColumns.map { SQLIdentifier($0) }).from("cases").where("id", .in, ids).all().map { row in
            var record = CaseRecord(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int.self),
                                    channel: try row.decode(column: "channel", as: String.self),
                                    at: try row.decode(column: "created_at", as: Date.self), requesterID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
            record.type = try StoredValue.decode(CaseType.self, column: "type", in: row)
            record.status = try StoredValue.decode(CaseStatus.self, column: "status", in: row)
            record.priority = try StoredValue.decode(Priority.self, column: "priority", in: row)
            record.organisationID = try row.decode(column: "organisation_id", as: UUID?.self)
            record.productID = try row.decode(column: "product_id", as: UUID?.self)
            record.updatedAt = try row.decode(column: "updated_at", as: Date.self)
            return record
        }
    }

    /// The contracts of these organisations, by organisation.
    static func contracts(of organisations: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [ContractFacts]] {
        var contracts: [UUID: [ContractFacts]] = [:]
        guard !organisations.isEmpty else { return contracts }
        for row in try await sql.select().columns("id", "organisation_id", "level", "starts_on", "ends_on", "sla_policy_id")
            .from("contracts").where("organisation_id", .in, organisations).all() {
            let contract = ContractFacts(
                id: try row.decode(column: "id", as: UUID.self), level: try row.decode(column: "level", as: String.self),
                startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
                endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap(LocalDate.init(parsing:)),
                policyID: try row.decode(column: "sla_policy_id", as: UUID?.self))
            contracts[try row.decode(column: "organisation_id", as: UUID.self), default: []].append(contract)
        }
        return contracts
    }

    /// Each case's status changes in order: (when, old status, new status).
    static func statusChanges(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: [(Date, String?, String?)]] {
        var changes: [UUID: [(Date, String?, String?)]] = [:]
        for row in try await sql.raw("""
            SELECT case_id, created_at, old_value, new_value FROM timeline_entries
            WHERE case_id IN (\(binds: ids)) AND kind = 'field_changed' AND field = 'status' ORDER BY case_id, position
            """).all() {
            changes[try row.decode(column: "case_id", as: UUID.self), default: []].append(
                (try row.decode(column: "created_at", as: Date.self), try row.decode(column: "old_value", as: String?.self),
                 try row.decode(column: "new_value", as: String?.self)))
        }
        return changes
    }

    /// Every public message on these cases: which case, when, and whether a customer wrote it.
    static func publicMessages(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [(caseID: UUID, at: Date, byCustomer: Bool)] {
        try await sql.raw("""
            SELECT messages.case_id AS case_id, messages.created_at AS created_at, users.role AS role FROM messages
            JOIN users ON users.id = messages.author_id
            WHERE messages.case_id IN (\(binds: ids)) AND messages.visibility = 'public'
            """).all().map {
                (try $0.decode(column: "case_id", as: UUID.self), try $0.decode(column: "created_at", as: Date.self),
                 try $0.decode(column: "role", as: String.self) == Role.customer.rawValue)
            }
    }

    static let standingColumns = ["case_id", "policy_id", "state", "earliest_due_at", "next_check_at", "warned", "breached", "updated_at"]

    /// The stored standings of these cases.
    static func standings(_ ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: CaseClock.Standing] {
        var standings: [UUID: CaseClock.Standing] = [:]
        for row in try await sql.select().columns(standingColumns.dropLast().map { SQLIdentifier($0) }).from("case_sla").where("case_id", .in, ids).all() {
            standings[try row.decode(column: "case_id", as: UUID.self)] = try CaseClock.Standing(row: row)
        }
        return standings
    }

    /// Forgets the standings of cases no policy covers any more.
    static func deleteStandings(_ ids: [UUID], on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "case_sla").where("case_id", .in, ids).run()
    }

    /// The next free timeline position of each case, 500 cases to a statement.
    static func nextTimelinePositions(_ caseIDs: [UUID], on sql: any SQLDatabase) async throws -> [UUID: Int] {
        var next: [UUID: Int] = [:]
        for chunk in stride(from: 0, to: caseIDs.count, by: 500) {
            let part = Array(caseIDs[chunk..<min(chunk + 500, caseIDs.count)])
            for row in try await sql.raw("""
                SELECT case_id, MAX(position) AS last FROM timeline_entries WHERE case_id IN (\(binds: part)) GROUP BY case_id
                """).all() {
                next[try row.decode(column: "case_id", as: UUID.self)] = try row.decode(column: "last", as: Int.self) + 1
            }
        }
        return next
    }

    /// Cases whose next warning or breach time has passed.
    static func dueCaseIDs(at now: Date, limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("case_id").from("case_sla").where("next_check_at", .lessThanOrEqual, now).limit(limit).all()
            .map { try $0.decode(column: "case_id", as: UUID.self) }
    }

    /// Holds the case rows for the rest of the transaction on PostgreSQL (SQLite's writer is already alone).
    static func lock(_ ids: [UUID], on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else { return }
        _ = try await sql.raw("SELECT id FROM cases WHERE id IN (\(binds: ids)) ORDER BY id FOR UPDATE").all()
    }
}
