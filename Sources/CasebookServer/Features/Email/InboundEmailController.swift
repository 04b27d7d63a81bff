import CasebookCore
import Fluent
import SQLKit
import Vapor

/// `/inbound/email`: raw messages from a mail server, and the admin's view of what failed.
struct InboundEmailController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let inbound = routes.grouped("inbound", "email")
        inbound.on(.POST, body: .collect(maxSize: "41mb"), use: receive)
        inbound.get(use: list)
        inbound.post(":id", "reprocess", use: reprocess)
        inbound.post(":id", "release", use: release)
    }

    /// The answer to a delivery: stored (always, when 202) and what became of it.
    struct Receipt: Content {
        var id: UUID
        var duplicate: Bool
        var status: String
        var caseReference: String?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case id, duplicate, status, error
            case caseReference = "case_reference"
        }

        init(_ outcome: ReceiveEmail.Outcome) {
            id = outcome.id
            duplicate = outcome.duplicate
            status = outcome.status
            caseReference = outcome.caseReference
            error = outcome.error
        }
    }

    @Sendable func receive(req: Request) async throws -> Response {
        try req.authorize(.ingestEmail)
        guard let body = req.body.data, body.readableBytes > 0 else { throw Problem.invalid("message", "is empty") }
        let outcome = try await ReceiveEmail(services: req.casebook).deliverNow(Data(buffer: body), runner: req.application.jobs)
        return try await Receipt(outcome).encodeResponse(status: .accepted, for: req)
    }

    /// One stored inbound message, as admins see it.
    typealias InboundView = InboundRepository.Row

    @Sendable func list(req: Request) async throws -> [InboundView] {
        try req.authorize(.ingestEmail)
        var status: InboundStatus?
        if let asked = req.query[String.self, at: "status"] {
            guard let known = InboundStatus(rawValue: asked) else {
                throw Problem.badRequest("Query parameter 'status' must be one of \(InboundStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = known
        }
        return try await InboundRepository.list(status: status, limit: 200, on: req.store.sql)
    }

    /// Puts a message back on the queue with fresh attempts and applies it now.
    @Sendable func reprocess(req: Request) async throws -> Receipt {
        try req.authorize(.ingestEmail)
        guard let id = req.parameters.get("id", as: UUID.self),
              try await InboundRepository.status(of: id, on: req.store.sql) != nil
        else { throw Problem.notFound("The inbound message") }
        let now = req.now
        let job = try await req.store.write { db -> UUID? in
            let sql = req.store.sql(db)
            return try await JobQueue.enqueueOrRequeue(.processEmail, InboundPayload(inboundID: id), dedupeKey: ReceiveEmail.jobKey(id), at: now, on: sql)
        }
        if let job { _ = await req.application.jobs.runNow(job) }
        return Receipt(try await ReceiveEmail(services: req.casebook).outcome(of: id, duplicate: false))
    }

    /// Lets a message held from an unknown sender through: its case and contact are created now.
    @Sendable func release(req: Request) async throws -> Receipt {
        try req.authorize(.ingestEmail)
        guard let id = req.parameters.get("id", as: UUID.self),
              let status = try await InboundRepository.status(of: id, on: req.store.sql)
        else { throw Problem.notFound("The inbound message") }
        guard status == InboundStatus.held.rawValue else {
            throw Problem.conflict("Only a held message can be released.")
        }
        let receiver = ReceiveEmail(services: req.casebook)
        _ = try await receiver.process(id, releasing: true)
        return Receipt(try await receiver.outcome(of: id, duplicate: false))
    }
}

extension InboundRepository.Row: Content {}
