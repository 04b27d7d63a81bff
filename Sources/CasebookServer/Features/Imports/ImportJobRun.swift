import CasebookCore
import Foundation

/// Runs imports started from the admin pages on the job queue, a slice at a time.
enum ImportJobRun {
    /// The `import.run` job: one slice of whichever import the run is, then either the run is done or the next slice is
    /// queued.
    static func continueRun(_ runID: UUID, services: CasebookServices, attempt: Int, maxAttempts: Int) async throws {
        let done: Bool
        do {
            let source = try await ImportRunRepository.find(runID, on: services.store.sql)?.view.source
            done = source == "zendesk" || source == "freshdesk"
                ? try await ExportFileImport.runSlice(runID, services: services)
                : try await RTImport(services: services).runSlice(runID, budget: 45)
        } catch {
            if attempt >= maxAttempts {
                try await services.store.write { db in
                    try await ImportRunRepository.finish(runID, error: "\(error)", at: services.clock(), on: services.store.sql(db))
                }
            }
            throw error
        }
        let now = services.clock()
        try await services.store.write { db in
            let sql = services.store.sql(db)
            if done {
                try await ImportRunRepository.finish(runID, error: nil, at: now, on: sql)
            } else {
                try await JobQueue.enqueue(.runImport, ImportJob(runID: runID), runAt: now, on: sql)
            }
        }
    }
}
