import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/report-recipients`: who receives the weekly report, and sending it now.
struct ReportRecipientController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let recipients = routes.grouped("report-recipients")
        recipients.get(use: list)
        recipients.post(use: add)
        recipients.post("send", use: sendNow)
        recipients.delete(":id", use: remove)
    }

    struct RecipientView: Content {
        var id: UUID
        var email: String
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, email
            case createdAt = "created_at"
        }
    }

    struct AddRequest: Content {
        var email: String
    }

    struct SendResult: Content {
        var week: String
        var sent: Int
    }

    @Sendable func list(req: Request) async throws -> [RecipientView] {
        try req.authorize(.readReports)
        return try await ReportRecipientRepository.all(on: req.store.sql).map { RecipientView(id: $0.id, email: $0.email, createdAt: $0.createdAt) }
    }

    @Sendable func add(req: Request) async throws -> Response {
        try req.authorize(.manageReports)
        let email = try Validate.email(try req.content.decode(AddRequest.self).email)
        let view = RecipientView(id: RecordID.make(), email: email, createdAt: req.now)
        do {
            try await req.store.write { db in
                try await ReportRecipientRepository.add(id: view.id, email: view.email, at: view.createdAt, on: req.store.sql(db))
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.conflict("\(email) already receives the weekly report.")
        }
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageReports)
        guard let id = req.parameters.get("id", as: UUID.self),
              try await ReportRecipientRepository.exists(id, on: req.store.sql) else {
            throw Problem.notFound("The recipient")
        }
        try await req.store.write { db in try await ReportRecipientRepository.remove(id, on: req.store.sql(db)) }
        return .noContent
    }

    /// Sends this week's report to everyone on the list now, whether or not it went already.
    @Sendable func sendNow(req: Request) async throws -> SendResult {
        try req.authorize(.manageReports)
        let week = WeeklyReport.week(of: req.now)
        return SendResult(week: week, sent: try await WeeklyReport(services: req.casebook).send(week: week, force: true))
    }
}
