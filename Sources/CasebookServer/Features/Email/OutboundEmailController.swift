import CasebookCore
import SQLKit
import Vapor

/// `/outbound/email`: the outbox as admins see it: what was sent, what waits, what failed or bounced.
struct OutboundEmailController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let outbound = routes.grouped("outbound", "email")
        outbound.get(use: list)
        outbound.post(":id", "retry", use: retry)
    }

    static let statuses = ["queued", "sent", "failed", "bounced", "suppressed"]

    /// An outgoing mail as the API shows it: the stored row, its fields written once.
    typealias OutboundView = OutboxRepository.Row

    @Sendable func list(req: Request) async throws -> [OutboundView] {
        try req.authorize(.ingestEmail)
        let status = req.query[String.self, at: "status"]
        if let status, !Self.statuses.contains(status) {
            throw Problem.badRequest("Query parameter 'status' must be one of \(Self.statuses.joined(separator: ", ")).")
        }
        return try await OutboxRepository.list(status: status, limit: 200, on: req.store.sql)
    }

    /// Sends a failed message again (for example after fixing the relay settings).
    @Sendable func retry(req: Request) async throws -> OutboundView {
        try req.authorize(.ingestEmail)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The outbound message") }
        let now = req.now
        let job = try await req.store.write { db -> UUID? in
            let sql = req.store.sql(db)
            guard let status = try await OutboxRepository.status(of: id, on: sql) else { throw Problem.notFound("The outbound message") }
            guard status == "failed" else { throw Problem.conflict("Only a failed message can be sent again.") }
            try await OutboxRepository.requeue(id, reason: nil, resettingAttempts: true, on: sql)
            return try await JobQueue.enqueueOrRequeue(.sendEmail, OutboundPayload(outboundID: id), dedupeKey: Outbox.jobKey(id), at: now, on: sql)
        }
        if let job { _ = await req.application.jobs.runNow(job) }
        guard let row = try await OutboxRepository.find(id, on: req.store.sql) else { throw Problem.notFound("The outbound message") }
        return row
    }
}

extension OutboxRepository.Row: Content {}
