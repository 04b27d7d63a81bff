import CasebookCore
import Foundation
import Vapor

/// `/cases/{reference}/cc`: who is copied on the case's public replies.
struct CaseCopyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let copies = routes.grouped("cases", ":reference", "cc")
        copies.get(use: list)
        copies.post(use: add)
        copies.delete(":address", use: remove)
    }

    struct AddInput: Content {
        var address: String
        var name: String?
    }

    @Sendable func list(req: Request) async throws -> [CaseCopy] {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        return try await CaseCopyRepository.copies(of: record.id, on: req.store.sql)
    }

    @Sendable func add(req: Request) async throws -> Response {
        try await mayChange(req)
        let input = try req.content.decode(AddInput.self)
        let (reference, current, services) = (try req.parameters.require("reference"), try req.current, req.casebook)
        let copies = try await req.store.write { db in
            try await ChangeCaseCopies(services: services).add(reference: reference, address: input.address, name: input.name, by: current, on: db)
        }
        return try await copies.encodeResponse(status: .created, for: req)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try await mayChange(req)
        let (reference, current, services) = (try req.parameters.require("reference"), try req.current, req.casebook)
        let address = try req.parameters.require("address")
        try await req.store.write { db in
            try await ChangeCaseCopies(services: services).remove(reference: reference, address: address, by: current, on: db)
        }
        return .noContent
    }

    /// Refuses before the body is read, so whoever may not change the case learns nothing from its validation.
    private func mayChange(_ req: Request) async throws {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        try req.authorize(.readInternal)
    }
}

extension CaseCopy: Content {}
