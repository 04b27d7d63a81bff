import CasebookCore
import Foundation
import SQLKit
import Vapor

/// `/canned-responses`: shared replies with placeholders, and `/cases/{reference}/canned-responses/{id}/render` to fill one for a case.
struct CannedResponseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let canned = routes.grouped("canned-responses")
        canned.get(use: list)
        canned.post(use: create)
        canned.get(":id", use: show)
        canned.patch(":id", use: update)
        canned.delete(":id", use: delete)
        routes.post("cases", ":reference", "canned-responses", ":id", "render", use: render)
    }

    @Sendable func list(req: Request) async throws -> [CannedResponseView] {
        try req.authorize(.readInternal)
        return try await CannedResponseRepository.all(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> CannedResponseView {
        try req.authorize(.readInternal)
        guard let id = req.parameters.get("id", as: UUID.self), let canned = try await CannedResponseRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The canned response")
        }
        return canned
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageCatalog)
        let input = try req.content.decode(CannedResponseRequest.self)
        let view = try await CannedResponseRepository.save(input, id: nil, by: try req.current.user.id, req: req)
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> CannedResponseView {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound("The canned response") }
        return try await CannedResponseRepository.save(try req.content.decode(CannedResponseRequest.self), id: id, by: try req.current.user.id, req: req)
    }

    @Sendable func delete(req: Request) async throws -> HTTPStatus {
        try req.authorize(.manageCatalog)
        guard let id = req.parameters.get("id", as: UUID.self), try await CannedResponseRepository.find(id, on: req.store.sql) != nil else {
            throw Problem.notFound("The canned response")
        }
        try await req.store.write { db in try await CannedResponseRepository.delete(id, on: req.store.sql(db)) }
        return .noContent
    }

    /// The response's text filled in for one case (the composer inserts it; nothing is sent).
    @Sendable func render(req: Request) async throws -> RenderedCannedResponse {
        try req.authorize(.readInternal)
        let record = try await req.readableCase()
        guard let id = req.parameters.get("id", as: UUID.self), let canned = try await CannedResponseRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The canned response")
        }
        return RenderedCannedResponse(text: try await CannedResponseRepository.fill(canned.body, for: record, agent: try req.current.user.name, req: req))
    }
}

/// A canned response as the API shows it.
struct CannedResponseView: Content, Equatable {
    var id: UUID
    var title: String
    var body: String
    var language: String
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, title, body, language
        case updatedAt = "updated_at"
    }
}

/// Body of creating or changing a canned response.
struct CannedResponseRequest: Content {
    var title: String
    var body: String
    var language: String?
}

/// A canned response filled in for a case.
struct RenderedCannedResponse: Content {
    var text: String
}
