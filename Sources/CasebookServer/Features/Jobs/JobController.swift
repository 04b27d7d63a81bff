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

    /// A job as admins see it: the stored row, its fields written once.
    typealias JobView = JobRepository.Row

    @Sendable func list(req: Request) async throws -> [JobView] {
        try req.authorize(.manageJobs)
        var status: JobStatus?, kind: JobKind?
        if let asked = req.query[String.self, at: "status"] {
            guard let known = JobStatus(rawValue: asked) else {
                throw Problem.badRequest("Query parameter 'status' must be one of \(JobStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            status = known
        }
        if let asked = req.query[String.self, at: "kind"] {
            guard let known = JobKind(rawValue: asked) else {
                throw Problem.badRequest("Query parameter 'kind' must be one of \(JobKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            kind = known
        }
        return try await JobRepository.list(status: status, kind: kind, limit: 200, on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> JobView {
        try req.authorize(.manageJobs)
        return try await find(req)
    }

    /// Gives a dead (or failing) job a fresh set of attempts and runs it now.
    @Sendable func retry(req: Request) async throws -> JobView {
        try req.authorize(.manageJobs)
        let job = try await find(req)
        guard job.status == JobStatus.dead.rawValue || job.status == JobStatus.queued.rawValue else {
            throw Problem.conflict("Only a dead or queued job can be retried; this one is \(job.status).")
        }
        let now = req.now
        try await req.store.write { db in try await JobRepository.retry(job.id, at: now, on: req.store.sql(db)) }
        _ = await req.application.jobs.runNow(job.id)
        return try await find(req)
    }

    private func find(_ req: Request) async throws -> JobRepository.Row {
        guard let id = req.parameters.get("id", as: UUID.self), let job = try await JobRepository.find(id, on: req.store.sql)
        else { throw Problem.notFound("The job") }
        return job
    }
}

extension JobRepository.Row: Content {}
