import CasebookCore
import Foundation
import SQLKit

/// Everything one case's clocks are computed from, read for many cases at once.
struct CaseClockFacts: Sendable {
    let caseID: UUID
    let facts: SLACaseFacts
    let priority: Priority
    let history: SLAHistory
    let record: CaseRecord
    /// The customer's latest message, for "no reply for N hours" rules.
    let lastCustomerMessageAt: Date?
    /// The latest public reply by staff.
    let lastStaffReplyAt: Date?
    let contractLevel: String?

    /// The report under the policy the catalog chooses for this case.
    func report(catalog: ServiceLevelCatalog, now: Date) -> SLAReport? {
        guard let policy = SLAPolicySelection.choose(for: facts, among: catalog.policies) else { return nil }
        return SLAClock.report(history: history, policy: policy, priority: priority, now: now)
    }

    /// How much of each case row to read.
    enum Columns {
        /// Every column (rules look at all of a case).
        case all
        /// Only what clocks need: a third of the columns, which is most of the cost of a 100,000-case recomputation.
        case clockOnly
    }

    static let clockColumns = ["id", "number", "type", "status", "priority", "organisation_id", "product_id", "channel", "created_at", "updated_at"]

    /// Reads cases, their contracts, status changes and public staff replies with four statements.
    /// With `.clockOnly`, `record` carries only `clockColumns`; the rest keep their defaults.
    static func load(_ ids: [UUID], on sql: any SQLDatabase, columns: Columns = .all) async throws -> [CaseClockFacts] {
        let records: [CaseRecord]
        switch columns {
        case .all:
            records = try await CaseRepository.find(ids: ids, on: sql)
        case .clockOnly:
            records = try await sql.select().columns(clockColumns.map { SQLIdentifier($0) }).from("cases").where("id", .in, ids).all().map { row in
                var record = CaseRecord(id: try row.decode(column: "id", as: UUID.self), number: try row.decode(column: "number", as: Int.self),
                                        channel: try row.decode(column: "channel", as: String.self),
                                        at: try row.decode(column: "created_at", as: Date.self), requesterID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
                record.type = try row.decode(column: "type", as: String.self)
                record.status = try row.decode(column: "status", as: String.self)
                record.priority = try row.decode(column: "priority", as: String.self)
                record.organisationID = try row.decode(column: "organisation_id", as: UUID?.self)
                record.productID = try row.decode(column: "product_id", as: UUID?.self)
                record.updatedAt = try row.decode(column: "updated_at", as: Date.self)
                return record
            }
        }
        let organisations = Array(Set(records.compactMap(\.organisationID)))
        var contracts: [UUID: [ContractFacts]] = [:]
        if !organisations.isEmpty {
            for row in try await sql.select().columns("id", "organisation_id", "level", "starts_on", "ends_on", "sla_policy_id")
                .from("contracts").where("organisation_id", .in, organisations).all() {
                let contract = ContractFacts(
                    id: try row.decode(column: "id", as: UUID.self), level: try row.decode(column: "level", as: String.self),
                    startsOn: LocalDate(parsing: try row.decode(column: "starts_on", as: String.self)) ?? LocalDate(dayNumber: 0),
                    endsOn: try row.decode(column: "ends_on", as: String?.self).flatMap(LocalDate.init(parsing:)),
                    policyID: try row.decode(column: "sla_policy_id", as: UUID?.self))
                contracts[try row.decode(column: "organisation_id", as: UUID.self), default: []].append(contract)
            }
        }
        var changes: [UUID: [(Date, String?, String?)]] = [:]
        for row in try await sql.raw("""
            SELECT case_id, created_at, old_value, new_value FROM timeline_entries
            WHERE case_id IN (\(binds: ids)) AND kind = 'field_changed' AND field = 'status' ORDER BY case_id, position
            """).all() {
            changes[try row.decode(column: "case_id", as: UUID.self), default: []].append(
                (try row.decode(column: "created_at", as: Date.self), try row.decode(column: "old_value", as: String?.self),
                 try row.decode(column: "new_value", as: String?.self)))
        }
        var replies: [UUID: [Date]] = [:]
        var customerMessages: [UUID: Date] = [:]
        for row in try await sql.raw("""
            SELECT messages.case_id AS case_id, messages.created_at AS created_at, users.role AS role FROM messages
            JOIN users ON users.id = messages.author_id
            WHERE messages.case_id IN (\(binds: ids)) AND messages.visibility = 'public'
            """).all() {
            let caseID = try row.decode(column: "case_id", as: UUID.self)
            let at = try row.decode(column: "created_at", as: Date.self)
            if try row.decode(column: "role", as: String.self) == Role.customer.rawValue {
                customerMessages[caseID] = max(customerMessages[caseID] ?? at, at)
            } else {
                replies[caseID, default: []].append(at)
            }
        }
        return records.map { record in
            let priority = Priority(rawValue: record.priority) ?? .normal
            // The contract in force on the day the case was opened (UTC).
            let day = LocalDate(dayNumber: Int((record.createdAt.timeIntervalSince1970 / 86_400).rounded(.down)))
            let contract = record.organisationID.flatMap { contracts[$0] }?.filter { $0.covers(day) }.max { $0.startsOn < $1.startsOn }
            let facts = SLACaseFacts(organisationID: record.organisationID.map(OrganisationID.init), priority: priority,
                                     productID: record.productID.map(ProductID.init), type: CaseType(rawValue: record.type) ?? .incident,
                                     contract: contract)
            let caseChanges = changes[record.id] ?? []
            let initial = caseChanges.first.flatMap { $0.1 }.flatMap(CaseStatus.init(rawValue:)) ?? CaseStatus(rawValue: record.status) ?? .new
            var statuses = [SLAHistory.StatusChange(at: record.createdAt, status: initial)]
            for (at, _, new) in caseChanges {
                if let status = new.flatMap(CaseStatus.init(rawValue:)) { statuses.append(SLAHistory.StatusChange(at: at, status: status)) }
            }
            // The opening message is the request itself, even when staff typed it in for the customer.
            let staffReplies = (replies[record.id] ?? []).filter { $0 > record.createdAt }
            return CaseClockFacts(caseID: record.id, facts: facts, priority: priority,
                                  history: SLAHistory(openedAt: record.createdAt, statuses: statuses, publicStaffReplies: staffReplies),
                                  record: record, lastCustomerMessageAt: customerMessages[record.id], lastStaffReplyAt: staffReplies.max(),
                                  contractLevel: contract?.level)
        }
    }
}
