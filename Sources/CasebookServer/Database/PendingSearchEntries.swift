import NIOConcurrencyHelpers
import SQLKit

/// Search entries added during a SQLite write transaction, written to the FTS5 index just before it commits.
///
/// FTS5 keeps new entries in memory until a later statement of the transaction opens a statement savepoint (any
/// multi-row or `INSERT … SELECT` write does), and then writes them out as a segment of their own. Added in the middle
/// of each case's writes, every case became a segment, and merging those segments back together cost more than the
/// entries themselves: about a tenth of the single writer's time in case creation. Written last, in rowid order, a
/// transaction's entries go out as one segment at COMMIT.
final class PendingSearchEntries: Sendable {
    /// The entries of the write transaction the current task runs in (set by `WriteGate` on SQLite).
    @TaskLocal static var current: PendingSearchEntries?

    struct Entry: Sendable {
        let caseNumber: Int
        let isInternal: Bool
        let text: String
    }

    private let entries = NIOLockedValueBox<[Entry]>([])

    func append(_ entry: Entry) { entries.withLockedValue { $0.append(entry) } }

    /// Writes and forgets every entry added so far; run by the write transaction before its COMMIT.
    func write(on sql: any SQLDatabase) async throws {
        let taken = entries.withLockedValue { entries in
            defer { entries.removeAll() }
            return entries
        }
        guard !taken.isEmpty else { return }
        // FTS5 also writes its pending entries out when a rowid arrives below the last one, so cases go in number order
        // (a stable sort keeps one case's entries in the order they were added).
        var next: [Int: Int] = [:]
        for entry in taken.enumerated().sorted(by: { ($0.element.caseNumber, $0.offset) < ($1.element.caseNumber, $1.offset) }).map(\.element) {
            let number: Int
            if let known = next[entry.caseNumber] {
                number = known
            } else {
                number = try await SQLiteSearchIndex.nextEntryNumber(caseNumber: entry.caseNumber, on: sql)
            }
            next[entry.caseNumber] = number + 1
            try await SQLiteSearchIndex.insert(entry, number: number, on: sql)
        }
    }
}
