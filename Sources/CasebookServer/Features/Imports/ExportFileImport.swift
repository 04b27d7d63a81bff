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

        mutating func add(_ slice: ImportSlice) {
            (imported, skipped, failed) = (imported + slice.imported, skipped + slice.skipped, failed + slice.failed)
            (entries, attachments) = (entries + slice.entries, attachments + slice.attachments)
            notes.formUnion(slice.notes)
        }

        /// The summary for the command line, in the administrator's language, and what was left out.
        var lines: [String] {
            [CommandText().importSummary(imported: imported, entries: entries, attachments: attachments, skipped: skipped, failed: failed)]
                + notes.sorted()
        }
    }

    /// How many ticket records one slice of an import from the admin pages reads, attachments included.
    static let windowSize = 2_000

    /// The tickets of the export unpacked in `directory` (those at the positions of `window` only, when given), what of
    /// it has no place here, and how many ticket records it holds in all.
    static func load(source: String, directory: String, window: Range<Int>? = nil) throws
        -> (tickets: [ImportedTicket], leftOut: [String], total: Int) {
        let files = ExportFiles.directory(directory)
        switch source {
        case "zendesk":
            let export = try ZendeskExport(files, window: window)
            return (export.tickets, export.leftOut, export.ticketCount)
        case "freshdesk":
            let export = try FreshdeskExport(files, window: window)
            return (export.tickets, export.leftOut, export.ticketCount)
        default:
            throw DomainError.invalid("source", "must be zendesk or freshdesk")
        }
    }

    /// Imports every ticket now (the command line), a window of records at a time, so memory holds one window's tickets
    /// and attachments however large the export.
    static func run(source: String, directory: String, services: CasebookServices,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        var summary = Summary()
        var (start, total) = (0, 0)
        var memory = ImportDirectory.Memory()
        repeat {
            let (tickets, leftOut, count) = try load(source: source, directory: directory, window: start..<start + windowSize)
            total = count
            summary.notes.formUnion(leftOut.map { "Left out: \($0)" })
            for first in stride(from: 0, to: tickets.count, by: batchSize) {
                let batch = Array(tickets[first..<min(first + batchSize, tickets.count)])
                summary.add(try await write(batch, services: services, memory: &memory))
                progress?(min(start + first + batch.count, total), total)
            }
            start += windowSize
            progress?(min(start, total), total)
        } while start < total
        return summary
    }

    /// Writes one batch in one transaction, or ticket by ticket when that fails; answers what it did.
    static func write(_ batch: [ImportedTicket], services: CasebookServices,
                      memory: inout ImportDirectory.Memory) async throws -> ImportSlice {
        let writer = TicketWriter(services: services)
        let outcomes: [Result<TicketWriter.Outcome, any Error>]
        do {
            let known = memory
            let (written, learned) = try await services.store.write { db in
                var directory = ImportDirectory(db: db, sql: services.store.sql(db), now: services.clock(), memory: known)
                var written: [Result<TicketWriter.Outcome, any Error>] = []
                for ticket in batch { written.append(.success(try await writer.write(ticket, on: db, directory: &directory))) }
                return (written, directory.memory)
            }
            outcomes = written
            memory = learned
        } catch {
            var single: [Result<TicketWriter.Outcome, any Error>] = []
            for ticket in batch {
                do { single.append(.success(try await writer.write(ticket))) } catch { single.append(.failure(error)) }
            }
            outcomes = single
        }
        var slice = ImportSlice()
        for (ticket, outcome) in zip(batch, outcomes) {
            switch outcome {
            case let .success(written) where written.skipped: slice.skipped += 1
            case let .success(written):
                slice.imported += 1
                slice.entries += written.entries
                slice.attachments += written.attachments
                slice.notes += written.unmapped.map { "Kept as a note: \($0)" }
            case let .failure(error):
                slice.failed += 1
                slice.notes.append("Ticket \(ticket.externalID) failed: \(Problem.reason(error))")
            }
        }
        return slice
    }

    /// One slice of an import started from the admin pages: the next `records` ticket records from the run's cursor,
    /// a batch at a time; true when every record is handled. Each slice reads the export afresh (a slice may run on
    /// another instance), but parses only the window's records and reads only their attachments.
    static func runSlice(_ runID: UUID, services: CasebookServices, records: Int = windowSize) async throws -> Bool {
        guard let (view, cursor, _) = try await ImportRunRepository.find(runID, on: services.store.sql), view.status != "done" else { return true }
        let start = max(0, Int(cursor ?? "0") ?? 0)
        let window = start..<start + max(1, records)
        let (source, directory) = (view.source, ImportFolder.path(of: view.baseURL, in: services.configuration))
        // Reading a large export takes seconds: off the threads that serve requests.
        let (tickets, leftOut, total) = try await services.blockingIO.runIfActive { try load(source: source, directory: directory, window: window) }
        let end = min(window.upperBound, total)
        var memory = ImportDirectory.memory(of: runID)
        defer { ImportDirectory.remember(memory, of: runID) }
        for first in stride(from: 0, to: tickets.count, by: batchSize) {
            var slice = try await write(Array(tickets[first..<min(first + batchSize, tickets.count)]), services: services, memory: &memory)
            if first == 0 { slice.notes += leftOut.map { "Left out: \($0)" } }
            // Records without an id make no ticket, so a batch's end is known exactly only at the window's end; after a
            // crash mid-window a few tickets are read again and counted as already here.
            slice.cursor = String(first + batchSize >= tickets.count ? end : start + first + batchSize)
            let done = slice
            try await services.store.write { db in
                try await ImportRunRepository.advance(runID, by: done, total: total, on: services.store.sql(db))
            }
        }
        if tickets.isEmpty, start < end {
            // A window of records that made no ticket still moves the cursor on.
            let moved = ImportSlice(cursor: String(end))
            try await services.store.write { db in try await ImportRunRepository.advance(runID, by: moved, total: total, on: services.store.sql(db)) }
        }
        return end >= total
    }
}

extension HelpDeskImports {
    /// Imports a Zendesk (`zendesk`) or Freshdesk (`freshdesk`) export unpacked in `directory`; returns the summary lines.
    public static func importExport(_ app: Application, source: String, directory: String,
                                    progress: @escaping @Sendable (Int, Int) -> Void) async throws -> [String] {
        try await ExportFileImport.run(source: source, directory: directory, services: app.casebook, progress: progress).lines
    }

    /// Imports the export in `folder` of the import folder as the admin pages do, slice after slice (here in turn, not on
    /// the job queue); returns the run's summary line. For `casebook bench import`.
    public static func importExportInSlices(_ app: Application, source: String, folder: String) async throws -> String {
        let services = app.casebook
        let id = try await services.store.write { db in
            try await ImportRunRepository.create(source: source, baseURL: folder, credentials: .init(), at: services.clock(), on: services.store.sql(db))
        }
        while try await !ExportFileImport.runSlice(id, services: services) {}
        try await services.store.write { db in try await ImportRunRepository.finish(id, error: nil, at: services.clock(), on: services.store.sql(db)) }
        guard let view = try await ImportRunRepository.find(id, on: services.store.sql)?.view else { return "" }
        return CommandText().importSummary(imported: view.imported, entries: view.entries, attachments: view.attachments,
                                           skipped: view.skipped, failed: view.failed)
    }
}
