import CasebookCore
import Foundation
import SQLKit

/// Bulk-inserts benchmark cases, 5,000 a transaction, each shaped by the caller; with `searchable`, each case's subject
/// goes into the search index as a new case's would, so a word search has the million entries to look through.
enum BenchmarkCases {
    static func insert(count: Int, firstNumber: Int, requester: UUID, now: Date, services: CasebookServices, searchable: Bool = false,
                       shape: @escaping @Sendable (Int, inout CaseRecord) -> Void) async throws {
        for chunk in stride(from: 0, to: count, by: 5_000) {
            try await services.store.write { db in
                let sql = services.store.sql(db)
                var records: [CaseRecord] = []
                for n in chunk..<min(chunk + 5_000, count) {
                    // Opened at spread-out moments over the past year.
                    let opened = now.addingTimeInterval(-Double((n * 7_919) % (365 * 86_400)))
                    var record = CaseRecord(id: RecordID.make(), number: firstNumber + n, channel: "email", at: opened, requesterID: requester)
                    shape(n, &record)
                    records.append(record)
                }
                try await CaseRepository.insert(records, on: sql)
                guard searchable else { return }
                for record in records {
                    try await services.store.search.addOpening(caseID: record.id, caseNumber: record.number, text: record.subject, on: sql)
                }
            }
        }
        // SQLite's index takes queued entries in the background; every one is in before anything is measured.
        if searchable { try await SearchIndexer.catchUp(services.store) }
    }
}
