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

    /// Reads cases, their contracts, status changes and public staff replies with four statements.
    /// With `.clockOnly`, `record` carries only `clockColumns`; the rest keep their defaults.
    static func load(_ ids: [UUID], on sql: any SQLDatabase, columns: Columns = .all) async throws -> [CaseClockFacts] {
        let records: [CaseRecord]
        switch columns {
        case .all:
            records = try await CaseRepository.find(ids: ids, on: sql)
        case .clockOnly:
            records = try await CaseClockRepository.clockRecords(ids, on: sql)
        }
        let organisations = Array(Set(records.compactMap(\.organisationID)))
        let contracts = try await CaseClockRepository.contracts(of: organisations, on: sql)
        let changes = try await CaseClockRepository.statusChanges(ids, on: sql)
        var replies: [UUID: [Date]] = [:]
        var customerMessages: [UUID: Date] = [:]
        for (caseID, at, byCustomer) in try await CaseClockRepository.publicMessages(ids, on: sql) {
            if byCustomer {
                customerMessages[caseID] = max(customerMessages[caseID] ?? at, at)
            } else {
                replies[caseID, default: []].append(at)
            }
        }
        return records.map { record in
            // The contract in force on the day the case was opened (UTC).
            let day = LocalDate(dayNumber: Int((record.createdAt.timeIntervalSince1970 / 86_400).rounded(.down)))
            let contract = record.organisationID.flatMap { contracts[$0] }?.filter { $0.covers(day) }.max { $0.startsOn < $1.startsOn }
            let facts = SLACaseFacts(organisationID: record.organisationID.map(OrganisationID.init), priority: record.priority,
                                     productID: record.productID.map(ProductID.init), type: record.type,
                                     contract: contract)
            let caseChanges = changes[record.id] ?? []
            let initial = caseChanges.first.flatMap { $0.1 }.flatMap(CaseStatus.init(rawValue:)) ?? record.status
            var statuses = [SLAHistory.StatusChange(at: record.createdAt, status: initial)]
            for (at, _, new) in caseChanges {
                if let status = new.flatMap(CaseStatus.init(rawValue:)) { statuses.append(SLAHistory.StatusChange(at: at, status: status)) }
            }
            // The opening message is the request itself, even when staff typed it in for the customer.
            let staffReplies = (replies[record.id] ?? []).filter { $0 > record.createdAt }
            return CaseClockFacts(caseID: record.id, facts: facts, priority: record.priority,
                                  history: SLAHistory(openedAt: record.createdAt, statuses: statuses, publicStaffReplies: staffReplies),
                                  record: record, lastCustomerMessageAt: customerMessages[record.id], lastStaffReplyAt: staffReplies.max(),
                                  contractLevel: contract?.level)
        }
    }
}
