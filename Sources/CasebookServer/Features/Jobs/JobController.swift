import CasebookCore
import SQLKit
import Vapor

/// `/jobs`: the admin's window on the durable queue, its failures and its dead-letter list.
struct JobController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let jobs = routes.grouped("jobs")
        jobs.get(use: list)
        jobs.get(":id", use: show)
        jobs.post(":id", "retry", use: retry)
    }

    /// One job as admins see it.
    struct JobView: Content {
        var id: UUID
        var kind: String
        var payload: String
        var status: String
        var attempts: Int
        var maxAttempts: Int
        var runAt: Date
        var lastError: String?
        var createdAt: Date
        var finishedAt: Date?

        enum CodingKeys: String, CodingKey {
            case id, kind, payload, status, attempts
            case maxAttempts = "max_attempts", runAt = "run_at", lastError = "last_error", createdAt = "created_at", finishedAt = "finished_at"
        }

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            kind = try row.decode(column: "kind", as: String.self)
            payload = try row.decode(column: "payload", as: String.self)
            status = try row.decode(column: "status", as: String.self)
            attempts = try row.decode(column: "attempts", as: Int.self)
            maxAttempts = try row.decode(column: "max_attempts", as: Int.self)
            runAt = try row.decode(column: "run_at", as: Date.self)
            lastError = try row.decode(column: "last_error", as: String?.self)
            createdAt = try row.decode(column: "created_at", as: Date.self)
            finishedAt = try row.decode(column: "finished_at", as: Date?.self)
        }
    }

    static let columns = ["id", "kind", "payload", "status", "attempts", "max_attempts", "run_at", "last_error", "created_at", "finished_at"]

    @Sendable func list(req: Request) async throws -> [JobView] {
        try req.authorize(.manageJobs)
        var select = req.store.sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("jobs")
        if let status = req.query[String.self, at: "status"] {
            guard JobStatus(rawValue: status) != nil else {
                throw Problem.badRequest("Query parameter 'status' must be one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            select = select.where("status", .equal, status)
        }
        if let kind = req.query[String.self, at: "kind"] {
            guard JobKind(rawValue: kind) != nil else {
                throw Problem.badRequest("Query parameter 'kind' must be one of \(JobKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            select = select.where("kind", .equal, kind)
        }
        return try await select.orderBy("created_at", .descending).limit(200).all().map(JobView.init(row:))
    }

    @Sendable func show(req: Request) async throws -> JobView {
        try req.authorize(.manageJobs)
        return try JobView(row: try await find(req))
    }

    /// Gives a dead (or failing) job a fresh set of attempts and runs it now.
    @Sendable func retry(req: Request) async throws -> JobView {
        try req.authorize(.manageJobs)
        let row = try await find(req)
        let id = try row.decode(column: "id", as: UUID.self)
        let status = try row.decode(column: "status", as: String.self)
        guard status == JobStatus.dead.rawValue || status == JobStatus.queued.rawValue else {
            throw Problem.conflict("Only a dead or queued job can be retried; this one is \(status).")
        }
        let now = req.now
        try await req.store.write { db in
            try await req.store.sql(db).update("jobs").set("status", to: JobStatus.queued.rawValue).set("attempts", to: 0)
                .set("run_at", to: now).set("finished_at", to: SQLLiteral.null)
                .where("id", .equal, id).where("status", .in, [JobStatus.dead.rawValue, JobStatus.queued.rawValue]).run()
        }
        _ = await req.application.jobs.runNow(id)
        return try JobView(row: try await find(req))
    }

    private func find(_ req: Request) async throws -> any SQLRow {
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await req.store.sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("jobs")
                .where("id", .equal, id).first()
        else { throw Problem.notFound("The job") }
        return row
    }
}
