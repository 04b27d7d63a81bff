import CasebookCore
import Foundation
import Logging
import SQLKit

/// What a retention rule did, or would do in a dry run.
struct RetentionOutcome: Codable, Sendable {
    var rule: String
    var action: RetentionAction
    var dryRun: Bool
    /// Cases solved or closed before this are due.
    var cutoff: Date
    /// Due cases (in a dry run) or cases done (in a run).
    var cases: Int
    /// Due, but kept by a legal hold.
    var held: Int
    /// Due for deleting, but kept because an RCA report, repair, work order or part used refers to them.
    var linked: Int
    /// Up to twenty of the cases' numbers, oldest first.
    var sample: [Int]

    enum CodingKeys: String, CodingKey {
        case rule, action, dryRun = "dry_run", cutoff, cases, held, linked, sample
    }

    var summary: String {
        let verb = action == .delete ? "deleted" : "anonymised"
        return (dryRun ? "Would have \(verb) \(cases)" : "\(verb.capitalized) \(cases)") + " case(s); \(held) under legal hold"
            + (action == .delete ? "; \(linked) kept for their RCA reports, repairs or work orders" : "") + "."
    }
}

/// Runs retention rules: finds the solved cases each has come due for and anonymises or deletes them, a batch per
/// transaction so a large first run never holds the database long, leaving every held case alone.
struct ApplyRetention {
    let services: CasebookServices
    static let batch = 200
    static let sampleSize = 20

    /// One rule, for real or as a dry run that changes nothing.
    func run(_ stored: StoredRetentionRule, dryRun: Bool) async throws -> RetentionOutcome {
        let rule = stored.rule
        let now = services.clock()
        let store = services.store
        let first = try await store.reading { db in
            try await RetentionRepository.dueCases(for: rule, now: now, limit: Self.sampleSize, on: store.sql(db))
        }
        var outcome = RetentionOutcome(rule: rule.name, action: rule.action, dryRun: dryRun, cutoff: rule.cutoff(now: now),
                                       cases: dryRun ? first.total : 0, held: first.held, linked: first.linked, sample: first.due.map(\.number))
        guard !dryRun else { return outcome }
        outcome.sample = []
        while true {
            let (done, files) = try await store.write { db in
                let sql = store.sql(db)
                let due = try await RetentionRepository.dueCases(for: rule, now: now, limit: Self.batch, on: sql).due
                let digests = rule.action == .delete
                    ? try await CaseErasureRepository.delete(due, on: sql)
                    : try await CaseErasureRepository.anonymise(due, reason: "retention: " + rule.name, at: now, on: sql)
                return (due.map(\.number), try await StoredFileRepository.unused(digests, on: sql))
            }
            await removeFiles(files)
            outcome.cases += done.count
            outcome.sample += done.prefix(Self.sampleSize - min(outcome.sample.count, Self.sampleSize))
            if done.count < Self.batch { break }
        }
        let result = outcome.summary
        try await store.write { db in try await RetentionRepository.noteRun(rule.id, at: now, result: result, on: store.sql(db)) }
        return outcome
    }

    /// Every active rule (the nightly job); one failing does not stop the others.
    func runAll() async throws {
        let store = services.store
        let rules = try await store.reading { db in try await RetentionRepository.rules(on: store.sql(db)) }
        for rule in rules where rule.rule.active {
            do {
                _ = try await run(rule, dryRun: false)
            } catch {
                Logger(label: "casebook.retention").error("retention rule failed", metadata: ["rule": "\(rule.rule.id)", "error": "\(error)"])
                try? await store.write { db in
                    try await RetentionRepository.noteRun(rule.rule.id, at: services.clock(), result: "Failed: \(error)", on: store.sql(db))
                }
            }
        }
    }

    /// Files go after the commit: a crash in between leaves a file nothing uses, never a record without its file.
    func removeFiles(_ digests: [String]) async {
        for digest in digests {
            do { try await services.blobs.remove(digest) } catch {
                Logger(label: "casebook.retention").warning("could not remove a file", metadata: ["sha256": "\(digest)", "error": "\(error)"])
            }
        }
    }
}
