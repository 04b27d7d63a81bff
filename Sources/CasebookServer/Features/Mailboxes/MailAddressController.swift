import CasebookCore
import Foundation
import SQLKit
import Vapor

/// `/mail-addresses`: the team's addresses (admins). A case remembers the address it came in on; its replies and
/// notices go out from that address with its name and signature, and its new cases go to its group.
struct MailAddressController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let addresses = routes.grouped("mail-addresses")
        addresses.get(use: list)
        addresses.post(use: create)
        addresses.get(":id", use: show)
        addresses.patch(":id", use: update)
        addresses.delete(":id", use: remove)
    }

    @Sendable func list(req: Request) async throws -> [MailAddressView] {
        try req.authorize(.ingestEmail)
        return try await MailAddressRepository.all(on: req.store.sql).map(MailAddressView.init)
    }

    @Sendable func show(req: Request) async throws -> MailAddressView {
        try req.authorize(.ingestEmail)
        return MailAddressView(try await Self.find(req))
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.ingestEmail)
        let input = try req.content.decode(MailAddressWrite.self)
        guard input.address?.isEmpty == false else { throw Problem.invalid("address", "is required") }
        let now = req.now
        let blank = MailAddressRecord(id: RecordID.make(), address: "", displayName: "", signature: nil, groupID: nil, language: nil,
                                      createdAt: now, updatedAt: now)
        var record = try input.applied(to: blank)
        if record.displayName.isEmpty { record.displayName = record.address }
        try await Self.check(record, on: req.store.sql)
        let created = record
        let store = req.store
        try await store.write { db in try await MailAddressRepository.insert(created, on: store.sql(db)) }
        try await req.casebook.teamAddresses.reload(on: store.sql)
        return try await MailAddressView(created).encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> MailAddressView {
        try req.authorize(.ingestEmail)
        let input = try req.content.decode(MailAddressWrite.self)
        var record = try input.applied(to: try await Self.find(req))
        record.updatedAt = req.now
        try await Self.check(record, on: req.store.sql)
        let changed = record
        let store = req.store
        try await store.write { db in try await MailAddressRepository.update(changed, on: store.sql(db)) }
        try await req.casebook.teamAddresses.reload(on: store.sql)
        return MailAddressView(changed)
    }

    @Sendable func remove(req: Request) async throws -> HTTPStatus {
        try req.authorize(.ingestEmail)
        let id = try await Self.find(req).id
        let store = req.store
        try await store.write { db in try await MailAddressRepository.delete(id, on: store.sql(db)) }
        try await req.casebook.teamAddresses.reload(on: store.sql)
        return .noContent
    }

    /// One row per address, and a group that exists.
    private static func check(_ record: MailAddressRecord, on sql: any SQLDatabase) async throws {
        if let other = try await MailAddressRepository.find(address: record.address, on: sql), other.id != record.id {
            throw Problem.conflict("\(record.address) is already one of the team's addresses.")
        }
        if let group = record.groupID, try await !MailAddressRepository.groupExists(group, on: sql) {
            throw Problem.invalid("group_id", "names no group")
        }
    }

    private static func find(_ req: Request) async throws -> MailAddressRecord {
        guard let id = req.parameters.get("id", as: UUID.self), let record = try await MailAddressRepository.find(id, on: req.store.sql)
        else { throw Problem.notFound("The address") }
        return record
    }
}

/// An address as created or changed; absent members keep their value, an empty one clears it.
struct MailAddressWrite: Content {
    var address: String?
    var displayName: String?
    var signature: String?
    var groupID: String?
    var language: String?

    enum CodingKeys: String, CodingKey {
        case address, signature, language
        case displayName = "display_name", groupID = "group_id"
    }

    func applied(to record: MailAddressRecord) throws -> MailAddressRecord {
        var result = record
        if let address { result.address = try Validate.email(address, field: "address") }
        if let displayName { result.displayName = displayName.isEmpty ? result.address : try Validate.name(displayName, field: "display_name") }
        if let signature {
            let trimmed = signature.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.count <= 2_000 else { throw DomainError.invalid("signature", "must be at most 2000 characters") }
            result.signature = trimmed.isEmpty ? nil : trimmed
        }
        if let groupID {
            guard groupID.isEmpty || UUID(uuidString: groupID) != nil else { throw DomainError.invalid("group_id", "must be a group's id") }
            result.groupID = UUID(uuidString: groupID)
        }
        if let language { result.language = language.isEmpty ? nil : try Validate.language(language) }
        return result
    }
}

/// An address as the API shows it.
struct MailAddressView: Content {
    var id: UUID
    var address: String
    var displayName: String
    var signature: String?
    var groupID: UUID?
    var language: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ r: MailAddressRecord) {
        (id, address, displayName, signature, groupID, language, createdAt, updatedAt) =
            (r.id, r.address, r.displayName, r.signature, r.groupID, r.language, r.createdAt, r.updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, address, signature, language
        case displayName = "display_name", groupID = "group_id", createdAt = "created_at", updatedAt = "updated_at"
    }
}
