import Foundation

/// What SQLite's single writer did during one phase, from the difference of the server's `/metrics` before and after.
///
/// Busy share (time the writer was held over the phase's wall time) says whether the writer was the limit: near 1 it
/// was; well below, the requests spent their time elsewhere. PostgreSQL has no write gate, so there are no figures.
struct WriterFigures: Codable {
    let phase: String
    let transactions: Int
    let writesPerTransaction: Double
    let meanHeldMilliseconds: Double
    let meanWaitMilliseconds: Double
    /// From a commit to its log on disk (off the writer, before the writes are answered); 0 when SQLite syncs in COMMIT.
    let meanSyncMilliseconds: Double
    let busyShare: Double

    /// The write gate's running totals (`_sum` and `_count` of its histograms) as the server reports them now.
    static func totals(from load: LoadClient) async throws -> [String: Double] {
        let text = String(decoding: try await load.send(.GET, "/metrics", expect: 200), as: UTF8.self)
        var totals: [String: Double] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("casebook_write_") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            totals[String(parts[0])] = value
        }
        return totals
    }

    /// The phase's figures, or nil when the server wrote nothing through its gate (PostgreSQL, or a read-only phase).
    init?(phase: String, before: [String: Double], after: [String: Double], seconds: Double) {
        func delta(_ name: String) -> Double { (after[name] ?? 0) - (before[name] ?? 0) }
        let transactions = delta("casebook_write_transaction_seconds_count")
        let writes = delta("casebook_write_queue_wait_seconds_count")
        guard transactions > 0, writes > 0, seconds > 0 else { return nil }
        let held = delta("casebook_write_transaction_seconds_sum")
        self.phase = phase
        self.transactions = Int(transactions)
        writesPerTransaction = delta("casebook_write_batch_size_writes_sum") / max(delta("casebook_write_batch_size_writes_count"), 1)
        meanHeldMilliseconds = held / transactions * 1000
        meanWaitMilliseconds = delta("casebook_write_queue_wait_seconds_sum") / writes * 1000
        let syncs = delta("casebook_write_sync_seconds_count")
        meanSyncMilliseconds = syncs > 0 ? delta("casebook_write_sync_seconds_sum") / syncs * 1000 : 0
        busyShare = held / seconds
    }

    static func table(_ figures: [WriterFigures]) -> String {
        var lines = ["SQLite writer          transactions  writes each  held ms  wait ms  sync ms  busy"]
        for f in figures {
            lines.append(String(format: "%-22@ %12d %12.2f %8.2f %8.2f %8.2f %5.0f%%", f.phase as NSString, f.transactions,
                                f.writesPerTransaction, f.meanHeldMilliseconds, f.meanWaitMilliseconds, f.meanSyncMilliseconds,
                                f.busyShare * 100))
        }
        return lines.joined(separator: "\n")
    }
}
