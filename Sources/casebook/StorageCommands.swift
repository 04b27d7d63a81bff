import ArgumentParser
import CasebookServer
import Foundation

/// `casebook storage`: where stored files live.
struct StorageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "storage", abstract: "Manage where stored files (attachments, recordings, large mail) live.",
                                                    subcommands: [Migrate.self, Sweep.self])

    /// `casebook storage migrate --to database|directory`.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every stored file into the named store from the other one; run it again to resume. Nothing is removed from the old store.")

        @ArgumentParser.Option(help: "The store to fill: database (PostgreSQL only; also 'postgres') or directory.") var to: String

        func run() async throws {
            guard let target = BlobStoreKind(named: to) else { Bootstrap.fail(say("cli_storage_unknown", ["name": to])) }
            let bar = ProgressBar(label: "storage", unit: "files")
            let outcome = try await Bootstrap.withApp { app in
                try await BlobMigration.run(app, to: target, progress: { bar.show($0, of: $1) })
            }
            bar.finish()
            print(say("cli_storage_done", ["copied": String(outcome.copied), "there": String(outcome.alreadyThere),
                                           "megabytes": String(format: "%.1f", Double(outcome.bytes) / 1_048_576), "store": target.rawValue]))
            guard outcome.damaged.isEmpty else {
                Bootstrap.fail(say("cli_storage_damaged", ["count": String(outcome.damaged.count), "digests": outcome.damaged.joined(separator: ", ")]))
            }
        }
    }

    /// `casebook storage sweep [--dry-run]`.
    struct Sweep: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove stored files no record names any more (a refused reply's files, say), once a day has passed since they were last kept.")

        @Flag(help: "Count the files no record names; remove nothing.") var dryRun = false

        func run() async throws {
            let bar = ProgressBar(label: "sweep", unit: "files")
            let outcome = try await Bootstrap.withApp { app in
                try await BlobSweep.run(app, dryRun: dryRun, progress: { bar.show($0, of: nil) })
            }
            bar.finish()
            print(say.sweepSummary(outcome, dryRun: dryRun))
        }
    }
}
