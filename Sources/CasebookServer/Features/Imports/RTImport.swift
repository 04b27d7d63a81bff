import CasebookCore
import Foundation

/// Imports a Request Tracker's tickets, a slice at a time: resumable from its cursor, idempotent by ticket id.
struct RTImport {
    let services: CasebookServices
    /// Tickets read from RT at once (RT answers each request on one of its workers).
    var readers = 4

    /// Imports tickets after the run's cursor for about `budget` seconds (all of them with nil); true when none are left.
    func runSlice(_ runID: UUID, budget: TimeInterval?, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Bool {
        let sql = services.store.sql
        guard let (view, cursor, credentials) = try await ImportRunRepository.find(runID, on: sql), view.status != "done" else { return true }
        guard let credentials else { throw RTClient.Failure(description: "the RT credentials are gone; start the import again") }
        let client = try await RTClient.connect(url: view.baseURL, token: credentials.token, user: credentials.user, password: credentials.password)
        do {
            let done = try await runSlice(runID, view: view, cursor: cursor, client: client, budget: budget, progress: progress)
            await client.close()
            return done
        } catch {
            await client.close()
            throw error
        }
    }

    private func runSlice(_ runID: UUID, view: ImportRunView, cursor: String?, client: RTClient, budget: TimeInterval?,
                          progress: (@Sendable (Int, Int) -> Void)?) async throws -> Bool {
        let reader = RTTicketReader(client: client, names: RTNames(client: client))
        let writer = TicketWriter(services: services)
        let started = Date()
        var after = Int(cursor ?? "0") ?? 0
        var handled = view.imported + view.skipped + view.failed
        while true {
            let (ids, remaining) = try await client.ticketIDs(after: after, page: 1)
            let total = handled + remaining
            if ids.isEmpty { return true }
            for chunk in stride(from: 0, to: ids.count, by: readers).map({ Array(ids[$0..<min($0 + readers, ids.count)]) }) {
                let slice = try await importChunk(chunk, reader: reader, writer: writer)
                after = chunk.last ?? after
                handled += chunk.count
                try await services.store.write { db in try await ImportRunRepository.advance(runID, by: slice, total: total, on: self.services.store.sql(db)) }
                progress?(handled, total)
                if let budget, Date().timeIntervalSince(started) > budget { return false }
            }
        }
    }

    /// Runs a whole import now (the command line), then marks it done or failed.
    func runAll(_ runID: UUID, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws {
        do {
            _ = try await runSlice(runID, budget: nil, progress: progress)
        } catch {
            try await services.store.write { db in
                try await ImportRunRepository.finish(runID, error: "\(error)", at: self.services.clock(), on: self.services.store.sql(db))
            }
            throw error
        }
        try await services.store.write { db in
            try await ImportRunRepository.finish(runID, error: nil, at: self.services.clock(), on: self.services.store.sql(db))
        }
    }

    /// One ticket as read from RT: the ticket, or why not.
    private struct Read: Sendable {
        var id: Int
        var ticket: ImportedTicket?
        var leftOut: Set<String> = []
        var error: String?
        var alreadyImported = false
    }

    /// Reads a few tickets side by side, then writes them in id order, one transaction each.
    private func importChunk(_ ids: [Int], reader: RTTicketReader, writer: TicketWriter) async throws -> ImportSlice {
        var slice = ImportSlice(cursor: ids.last.map(String.init))
        let services = self.services
        var reads = await withTaskGroup(of: Read.self) { group in
            for id in ids {
                group.addTask {
                    if (try? await ImportRecordRepository.caseID(source: "rt", externalID: String(id), on: services.store.sql)) != nil {
                        return Read(id: id, alreadyImported: true)
                    }
                    do {
                        let (ticket, leftOut) = try await reader.read(id)
                        return Read(id: id, ticket: ticket, leftOut: leftOut)
                    } catch {
                        return Read(id: id, error: "\(error)")
                    }
                }
            }
            var reads: [Read] = []
            for await read in group { reads.append(read) }
            return reads
        }
        reads.sort { $0.id < $1.id }
        for read in reads {
            if read.alreadyImported {
                slice.skipped += 1
            } else if let ticket = read.ticket {
                do {
                    let outcome = try await writer.write(ticket)
                    if outcome.skipped { slice.skipped += 1; continue }
                    slice.imported += 1
                    slice.entries += outcome.entries
                    slice.attachments += outcome.attachments
                    slice.notes += (outcome.unmapped + read.leftOut).map { "Kept as a note or left out: \($0)" }
                } catch {
                    slice.failed += 1
                    slice.notes.append("Ticket #\(read.id) failed: \(Problem.reason(error))")
                }
            } else {
                slice.failed += 1
                slice.notes.append("Ticket #\(read.id) could not be read: \(read.error ?? "no answer")")
            }
        }
        return slice
    }

}

/// The payload of an `import.run` job.
struct ImportJob: Codable, Sendable {
    let runID: UUID

    enum CodingKeys: String, CodingKey { case runID = "run_id" }
}
