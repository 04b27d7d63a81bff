import CasebookCore
import Foundation
import SQLKit

/// Bulk-inserts benchmark cases, 5,000 a transaction, each shaped by the caller.
enum BenchmarkCases {
    static func insert(count: Int, firstNumber: Int, requester: UUID, now: Date, services: CasebookServices,
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
            }
        }
    }
}
