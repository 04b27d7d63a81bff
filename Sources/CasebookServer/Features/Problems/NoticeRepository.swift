import CasebookCore
import Foundation
import SQLKit

/// Early warnings (many organisations' cases about one version), proactive notices to the people running a version, and
/// the organisation timeline those notices are recorded on.
enum NoticeRepository {
    /// A warning as stored.
    struct Warning: Sendable {
        let id: UUID
        let productVersionID: UUID
        let organisations: Int
        let cases: [String]
        let detectedAt: Date
    }

    /// A notice as stored: the addresses and organisations it was previewed for, and when it was sent.
    struct Notice: Sendable {
        let id: UUID
        let productVersionID: UUID
        let subject: String
        let body: String
        let recipients: Set<String>
        let organisations: [UUID]
        let sentAt: Date?
    }

    /// A customer running a version.
    struct Recipient: Sendable {
        let email: String
        let name: String
        let organisationID: UUID?
        /// The language they read mail in.
        let language: String
    }

    /// Recent cases that name a version and an organisation: (version, organisation, case number).
    static func casesWithVersion(since: Date, on sql: any SQLDatabase) async throws -> [(version: UUID, organisation: UUID, number: Int)] {
        // Both IS NOT NULL terms name the partial index `cases_versioned_created`, which only these cases are in.
        try await sql.raw("""
            SELECT c.product_version_id, c.organisation_id, c.number FROM cases c
            WHERE c.product_version_id IS NOT NULL AND c.organisation_id IS NOT NULL AND c.created_at >= \(bind: since)
            """).all().map {
                (try $0.decode(column: "product_version_id", as: UUID.self), try $0.decode(column: "organisation_id", as: UUID.self),
                 try $0.decode(column: "number", as: Int.self))
            }
    }

    static func warningRaised(for version: UUID, since: Date, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("early_warnings").where("product_version_id", .equal, version)
            .where("detected_at", .greaterThanOrEqual, since).first() != nil
    }

    static func addWarning(version: UUID, organisations: Int, cases: [String], at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "early_warnings").columns("id", "product_version_id", "organisations", "cases", "detected_at")
            .values(SQLBind(RecordID.make()), SQLBind(version), SQLBind(organisations), SQLBind(cases.joined(separator: ",")), SQLBind(now)).run()
    }

    static func warnings(limit: Int, on sql: any SQLDatabase) async throws -> [Warning] {
        try await sql.select().columns("*").from("early_warnings").orderBy("detected_at", .descending).limit(limit).all().map {
            Warning(id: try $0.decode(column: "id", as: UUID.self), productVersionID: try $0.decode(column: "product_version_id", as: UUID.self),
                    organisations: try $0.decode(column: "organisations", as: Int.self),
                    cases: try $0.decode(column: "cases", as: String.self).split(separator: ",").map(String.init),
                    detectedAt: try $0.decode(column: "detected_at", as: Date.self))
        }
    }

    /// "Product version", or nil for an unknown version.
    static func versionName(_ id: UUID, on sql: any SQLDatabase) async throws -> String? {
        try await sql.raw("""
            SELECT p.name AS product, v.name AS version FROM product_versions v JOIN products p ON p.id = v.product_id WHERE v.id = \(bind: id)
            """).first().map { "\(try $0.decode(column: "product", as: String.self)) \(try $0.decode(column: "version", as: String.self))" }
    }

    /// Everyone running the version: active customers who opened cases about it, and those of organisations whose assets run it.
    static func recipients(version: UUID, on sql: any SQLDatabase) async throws -> [Recipient] {
        try await sql.raw("""
            SELECT DISTINCT u.email, u.name, u.organisation_id, u.language FROM users u WHERE u.role = 'customer' AND u.active = \(bind: true) AND (
                u.id IN (SELECT requester_id FROM cases WHERE product_version_id = \(bind: version))
                OR u.organisation_id IN (SELECT organisation_id FROM assets WHERE product_version_id = \(bind: version) AND retired = \(bind: false)))
            ORDER BY u.email LIMIT 10000
            """).all().map {
                Recipient(email: try $0.decode(column: "email", as: String.self), name: try $0.decode(column: "name", as: String.self),
                          organisationID: try $0.decode(column: "organisation_id", as: UUID?.self), language: try $0.decode(column: "language", as: String.self))
            }
    }

    static func addNotice(id: UUID, version: UUID, subject: String, body: String, recipients: [String], organisations: [UUID], by userID: UUID,
                          at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "proactive_notices")
            .columns("id", "product_version_id", "subject", "body", "recipients", "organisations", "created_by", "created_at")
            .values(SQLBind(id), SQLBind(version), SQLBind(subject), SQLBind(body), SQLBind(recipients.joined(separator: ",")),
                    SQLBind(organisations.map(\.uuidString).joined(separator: ",")), SQLBind(userID), SQLBind(now)).run()
    }

    static func notices(limit: Int, on sql: any SQLDatabase) async throws -> [Notice] {
        try await sql.select().columns("*").from("proactive_notices").orderBy("created_at", .descending).limit(limit).all().map(notice)
    }

    static func findNotice(_ id: UUID, on sql: any SQLDatabase) async throws -> Notice? {
        try await sql.select().columns("*").from("proactive_notices").where("id", .equal, id).first().map(notice)
    }

    static func markNoticeSent(_ id: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("proactive_notices").set("sent_at", to: now).where("id", .equal, id).run()
    }

    /// Adds an entry to an organisation's timeline.
    static func addOrganisationEvent(_ organisationID: UUID, kind: String, text: String, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "organisation_events").columns("id", "organisation_id", "kind", "text", "actor_id", "created_at")
            .values(SQLBind(RecordID.make()), SQLBind(organisationID), SQLBind(kind), SQLBind(text), SQLBind(userID), SQLBind(now)).run()
    }

    /// An organisation's timeline, newest first: (kind, text, actor, when).
    static func organisationEvents(_ organisationID: UUID, limit: Int, on sql: any SQLDatabase) async throws -> [(kind: String, text: String, actorID: UUID?, at: Date)] {
        try await sql.select().columns("*").from("organisation_events").where("organisation_id", .equal, organisationID)
            .orderBy("created_at", .descending).limit(limit).all().map {
                (try $0.decode(column: "kind", as: String.self), try $0.decode(column: "text", as: String.self),
                 try $0.decode(column: "actor_id", as: UUID?.self), try $0.decode(column: "created_at", as: Date.self))
            }
    }

    private static func notice(_ row: any SQLRow) throws -> Notice {
        Notice(id: try row.decode(column: "id", as: UUID.self), productVersionID: try row.decode(column: "product_version_id", as: UUID.self),
               subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self),
               recipients: Set(try row.decode(column: "recipients", as: String.self).split(separator: ",").map(String.init)),
               organisations: try row.decode(column: "organisations", as: String.self).split(separator: ",").compactMap { UUID(uuidString: String($0)) },
               sentAt: try row.decode(column: "sent_at", as: Date?.self))
    }
}
