import CasebookCore
import Foundation
import Vapor

/// Imports a Zendesk or Freshdesk export from files: many tickets a transaction, each remembered so nothing comes twice.
enum ExportFileImport {
    /// Tickets written in one transaction; a batch that fails is written again one ticket at a time, so one bad ticket
    /// costs only itself.
    static let batchSize = 200

    struct Summary: Sendable {
        var imported = 0
        var skipped = 0
        var failed = 0
        var entries = 0
        var attachments = 0
        var notes = Set<String>()

        /// The summary for the command line, in the administrator's language, and what was left out.
        var lines: [String] {
            [CommandText().importSummary(imported: imported, entries: entries, attachments: attachments, skipped: skipped, failed: failed)]
                + notes.sorted()
        }
    }

    static func run(_ tickets: [ImportedTicket], leftOut: [String], services: CasebookServices,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        var summary = Summary()
        summary.notes.formUnion(leftOut.map { "Left out: \($0)" })
        let writer = TicketWriter(services: services)
        var done = 0
        for start in stride(from: 0, to: tickets.count, by: batchSize) {
            let batch = Array(tickets[start..<min(start + batchSize, tickets.count)])
            let outcomes: [Result<TicketWriter.Outcome, any Error>]
            do {
                outcomes = try await services.store.write { db in
                    var directory = ImportDirectory(db: db, sql: services.store.sql(db), now: services.clock())
                    var written: [Result<TicketWriter.Outcome, any Error>] = []
                    for ticket in batch { written.append(.success(try await writer.write(ticket, on: db, directory: &directory))) }
                    return written
                }
            } catch {
                var single: [Result<TicketWriter.Outcome, any Error>] = []
                for ticket in batch {
                    do { single.append(.success(try await writer.write(ticket))) } catch { single.append(.failure(error)) }
                }
                outcomes = single
            }
            for (ticket, outcome) in zip(batch, outcomes) {
                switch outcome {
                case let .success(written) where written.skipped: summary.skipped += 1
                case let .success(written):
                    summary.imported += 1
                    summary.entries += written.entries
                    summary.attachments += written.attachments
                    summary.notes.formUnion(written.unmapped.map { "Kept as a note: \($0)" })
                case let .failure(error):
                    summary.failed += 1
                    summary.notes.insert("Ticket \(ticket.externalID) failed: \(Problem.reason(error))")
                }
            }
            done += batch.count
            progress?(done, tickets.count)
        }
        return summary
    }
}

extension HelpDeskImports {
    /// Imports a Zendesk (`zendesk`) or Freshdesk (`freshdesk`) export unpacked in `directory`; returns the summary lines.
    public static func importExport(_ app: Application, source: String, directory: String,
                                    progress: @escaping @Sendable (Int, Int) -> Void) async throws -> [String] {
        let files = ExportFiles.directory(directory)
        let (tickets, leftOut): ([ImportedTicket], [String])
        switch source {
        case "zendesk":
            let export = try ZendeskExport(files)
            (tickets, leftOut) = (export.tickets, export.leftOut)
        case "freshdesk":
            let export = try FreshdeskExport(files)
            (tickets, leftOut) = (export.tickets, export.leftOut)
        default:
            throw DomainError.invalid("source", "must be zendesk or freshdesk")
        }
        return try await ExportFileImport.run(tickets, leftOut: leftOut, services: app.casebook, progress: progress).lines
    }
}
