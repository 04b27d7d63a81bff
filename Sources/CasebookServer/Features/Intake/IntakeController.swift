import CasebookCore
import Fluent
import Foundation
import SQLKit
import Vapor

/// `/categories/{id}/intake` (the current flow, its versions, publishing a new one) and `/cases/{reference}/intake`.
struct IntakeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let flow = routes.grouped("categories", ":id", "intake")
        flow.get(use: current)
        flow.put(use: publish)
        flow.get("versions", use: versions)
        routes.get("cases", ":reference", "intake", use: filed)
    }

    private func categoryID(_ req: Request) async throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self),
              try await RelatedRecordRepository.exists(CategoryModel.schema, id, on: req.store.sql) else {
            throw Problem.notFound("The category")
        }
        return id
    }

    /// The flow a new case in this category answers, with the caller's record filled in.
    @Sendable func current(req: Request) async throws -> IntakeFlowView {
        try req.authorize(.readCatalog)
        let current = try req.current
        let id = try await categoryID(req)
        guard let version = try await IntakeRepository.current(categoryID: id, on: req.store.sql) else { throw Problem.notFound("An intake flow for this category") }
        return try await Self.view(version, for: current, on: req.store.sql)
    }

    static func view(_ version: IntakeRepository.Version, for current: CurrentActor, on sql: any SQLDatabase) async throws -> IntakeFlowView {
        let facts = try await IntakeRepository.knownFacts(requesterID: current.user.id, organisationID: current.user.organisationID,
                                                     categoryID: version.categoryID, on: sql)
        var known: [String: IntakeAnswer] = [:]
        for question in version.flow.questions {
            if let prefill = question.prefill, let answer = facts.answer(for: prefill) { known[question.key] = answer }
        }
        let needsVersions = version.flow.questions.contains { $0.kind == .productVersion }
        let options = needsVersions ? try await IntakeRepository.allVersions(on: sql).map { IntakeFlowView.VersionOption(id: $0.id, label: $0.label) } : nil
        return IntakeFlowView(version, known: known, productVersions: options)
    }

    @Sendable func versions(req: Request) async throws -> [IntakeFlowView] {
        try req.authorize(.manageCatalog)
        return try await IntakeRepository.versions(categoryID: try await categoryID(req), on: req.store.sql).map { IntakeFlowView($0) }
    }

    /// Publishes the next version; cases already filed keep the version they answered.
    @Sendable func publish(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let id = try await categoryID(req)
        let input = try req.content.decode(IntakeFlowRequest.self)
        let version = try await Self.publish(IntakeFlow(questions: input.questions), categoryID: id, by: try req.current.user.id, req: req)
        return try await IntakeFlowView(version).encodeResponse(status: .created, for: req)
    }

    static func publish(_ flow: IntakeFlow, categoryID: UUID, by userID: UUID, req: Request) async throws -> IntakeRepository.Version {
        guard !flow.questions.isEmpty else { throw Problem.invalid("questions", "must list at least one question") }
        let problems = flow.problems()
        guard problems.isEmpty else { throw DomainError.intake(problems, field: "questions") }
        let now = req.now
        do {
            return try await req.store.write { db in
                try await IntakeRepository.publish(flow, categoryID: categoryID, by: userID, at: now, on: req.store.sql(db))
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Problem.conflict("Another version of this flow was published at the same moment; reload and try again.")
        }
    }

    @Sendable func filed(req: Request) async throws -> CaseIntakeView {
        let record = try await req.readableCase()
        guard let filed = try await IntakeRepository.filed(caseID: record.id, on: req.store.sql) else { throw Problem.notFound("Intake answers for this case") }
        return CaseIntakeView(filed)
    }
}
