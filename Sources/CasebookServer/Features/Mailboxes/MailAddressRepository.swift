import CasebookCore
import CasebookMail
import Foundation
import SQLKit

/// The `mail_addresses` table, and which address a case or an incoming message belongs to.
enum MailAddressRepository {
    static func all(on sql: any SQLDatabase) async throws -> [MailAddressRecord] {
        try await sql.select().columns(columns).from("mail_addresses").orderBy("address").all().map(decode)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> MailAddressRecord? {
        try await sql.select().columns(columns).from("mail_addresses").where("id", .equal, id).first().map(decode)
    }

    static func find(address: String, on sql: any SQLDatabase) async throws -> MailAddressRecord? {
        try await sql.select().columns(columns).from("mail_addresses").where("address", .equal, address.lowercased()).first().map(decode)
    }

    static func insert(_ record: MailAddressRecord, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "mail_addresses").columns(columns).values(values(record)).run()
    }

    static func update(_ record: MailAddressRecord, on sql: any SQLDatabase) async throws {
        var update = sql.update("mail_addresses")
        for (column, value) in zip(columns, values(record)) where column != "id" { update = update.set(SQLColumn(column), to: value) }
        try await update.where("id", .equal, record.id).run()
    }

    /// Removes an address; its cases and mailboxes fall back to the desk's own address.
    static func delete(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("cases").set("mail_address_id", to: SQLLiteral.null).where("mail_address_id", .equal, id).run()
        try await sql.update("mail_accounts").set("mail_address_id", to: SQLLiteral.null).where("mail_address_id", .equal, id).run()
        try await sql.delete(from: "mail_addresses").where("id", .equal, id).run()
    }

    /// The address a case's mail goes out from (nil: the desk's own).
    static func forCase(_ caseID: UUID, on sql: any SQLDatabase) async throws -> MailAddressRecord? {
        guard let row = try await sql.select().column("mail_address_id").from("cases").where("id", .equal, caseID).first(),
              let id = try row.decode(column: "mail_address_id", as: UUID?.self) else { return nil }
        return try await find(id, on: sql)
    }

    static func groupExists(_ id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("groups").where("id", .equal, id).first() != nil
    }

    static func assign(_ addressID: UUID, toCase caseID: UUID, on sql: any SQLDatabase) async throws {
        try await sql.update("cases").set("mail_address_id", to: addressID).where("id", .equal, caseID).run()
    }

    /// The address an incoming message came to: its mailbox's, else the first of its recipients that is one of ours
    /// (a `+tag` does not count), in the order To, Cc, Delivered-To.
    static func forIncoming(inboundID: UUID, recipients: [String], on sql: any SQLDatabase) async throws -> MailAddressRecord? {
        if let row = try await sql.raw("""
            SELECT mail_accounts.mail_address_id AS id FROM inbound_messages JOIN mail_accounts ON mail_accounts.id = inbound_messages.mail_account_id
            WHERE inbound_messages.id = \(bind: inboundID)
            """).first(), let id = try row.decode(column: "id", as: UUID?.self) {
            return try await find(id, on: sql)
        }
        let plain = recipients.map { CaseAddress.withoutTag($0.lowercased()) }
        guard !plain.isEmpty else { return nil }
        let known = try await sql.select().columns(columns).from("mail_addresses").where("address", .in, plain).all().map(decode)
        return plain.lazy.compactMap { address in known.first { $0.address == address } }.first
    }

    private static let columns = ["id", "address", "display_name", "signature", "group_id", "language", "created_at", "updated_at"]

    private static func values(_ r: MailAddressRecord) -> [any SQLExpression] {
        [SQLBind(r.id), SQLBind(r.address), SQLBind(r.displayName), SQLBind(r.signature), SQLBind(r.groupID), SQLBind(r.language),
         SQLBind(r.createdAt), SQLBind(r.updatedAt)]
    }

    private static func decode(_ row: any SQLRow) throws -> MailAddressRecord {
        MailAddressRecord(id: try row.decode(column: "id", as: UUID.self), address: try row.decode(column: "address", as: String.self),
                          displayName: try row.decode(column: "display_name", as: String.self),
                          signature: try row.decode(column: "signature", as: String?.self), groupID: try row.decode(column: "group_id", as: UUID?.self),
                          language: try row.decode(column: "language", as: String?.self),
                          createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }
}
