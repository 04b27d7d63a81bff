import CasebookCore
import Foundation
import Vapor

/// `/bounced-addresses`: the addresses no mail goes to because they bounced for good (agents and admins). Clearing
/// one, once the customer has fixed their mailbox or been given another address, lets mail go to it again.
struct BouncedAddressController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let bounced = routes.grouped("bounced-addresses")
        bounced.get(use: list)
        bounced.get(":id", use: show)
        bounced.delete(":id", use: clear)
    }

    @Sendable func list(req: Request) async throws -> [BouncedAddress] {
        try req.authorize(.readInternal)
        let address = req.query[String.self, at: "address"].map { String($0.prefix(254)) }
        return try await BouncedAddressRepository.all(address: address, on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> BouncedAddress {
        try req.authorize(.readInternal)
        return try await Self.find(req)
    }

    @Sendable func clear(req: Request) async throws -> HTTPStatus {
        try req.authorize(.managePeople(targetRole: .customer))
        let id = try await Self.find(req).id
        let store = req.store
        try await store.write { db in try await BouncedAddressRepository.delete(id, on: store.sql(db)) }
        return .noContent
    }

    static func find(_ req: Request) async throws -> BouncedAddress {
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)),
              let found = try await BouncedAddressRepository.find(id, on: req.store.sql) else { throw DomainError.notFound("The bounced address") }
        return found
    }
}

extension BouncedAddress: Content {}
