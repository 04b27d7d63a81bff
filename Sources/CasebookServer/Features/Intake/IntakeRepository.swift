import CasebookCore
import Foundation
import SQLKit

/// Reads and writes intake flows and the answers each case was filed with.
enum IntakeRepository {
    /// One published version of a category's flow.
    struct Version: Sendable {
        var id: UUID
        var categoryID: UUID
        var version: Int
        var flow: IntakeFlow
        var createdAt: Date
    }

    /// The answers a case was filed with, and the flow version that asked them.
    struct Filed: Sendable {
        var version: Version
        var answers: [String: IntakeAnswer]
        var prefilled: Set<String>
        /// The portal language the form was read in, when filed there.
        var askedIn: String? = nil
        /// The questions shown in the content language for want of a translation.
        var untranslated: [String] = []
    }

    static func current(categoryID: UUID, on sql: any SQLDatabase) async throws -> Version? {
        try await sql.select().columns("id", "category_id", "version", "definition", "created_at").from("intake_flows")
            .where("category_id", .equal, categoryID).orderBy("version", .descending).limit(1).first().map(decode)
    }

    static func versions(categoryID: UUID, on sql: any SQLDatabase) async throws -> [Version] {
        try await sql.select().columns("id", "category_id", "version", "definition", "created_at").from("intake_flows")
            .where("category_id", .equal, categoryID).orderBy("version", .descending).all().map(decode)
    }

    static func find(id: UUID, on sql: any SQLDatabase) async throws -> Version? {
        try await sql.select().columns("id", "category_id", "version", "definition", "created_at").from("intake_flows")
            .where("id", .equal, id).first().map(decode)
    }

    /// Publishes the next version; earlier versions stay for the cases filed with them. The unique index settles a race.
    static func publish(_ flow: IntakeFlow, categoryID: UUID, by userID: UUID, at now: Date, on sql: any SQLDatabase) async throws -> Version {
        let next = (try await current(categoryID: categoryID, on: sql)?.version ?? 0) + 1
        let version = Version(id: RecordID.make(), categoryID: categoryID, version: next, flow: flow, createdAt: now)
        try await sql.insert(into: "intake_flows").columns("id", "category_id", "version", "definition", "created_by", "created_at")
            .values(SQLBind(version.id), SQLBind(categoryID), SQLBind(next), SQLBind(try JSONCoding.string(flow)), SQLBind(userID), SQLBind(now)).run()
        return version
    }

    static func record(caseID: UUID, flowID: UUID, outcome: IntakeOutcome, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "case_intake").columns("case_id", "flow_id", "answers", "prefilled", "created_at")
            .values(SQLBind(caseID), SQLBind(flowID), SQLBind(try JSONCoding.string(outcome.answers)),
                    SQLBind(try JSONCoding.string(outcome.prefilled.sorted())), SQLBind(now)).run()
    }

    static func filed(caseID: UUID, on sql: any SQLDatabase) async throws -> Filed? {
        guard let row = try await sql.select().columns("flow_id", "answers", "prefilled", "asked_in", "untranslated").from("case_intake")
                .where("case_id", .equal, caseID).first(),
              let version = try await find(id: try row.decode(column: "flow_id", as: UUID.self), on: sql) else { return nil }
        return Filed(version: version,
                     answers: try JSONCoding.decode([String: IntakeAnswer].self, try row.decode(column: "answers", as: String.self)),
                     prefilled: Set(try JSONCoding.decode([String].self, try row.decode(column: "prefilled", as: String.self))),
                     askedIn: try row.decode(column: "asked_in", as: String?.self),
                     untranslated: try row.decode(column: "untranslated", as: String?.self).map { try JSONCoding.decode([String].self, $0) } ?? [])
    }

    /// Notes the language the portal's form was read in and the questions it showed in the content language instead.
    static func noteLanguage(caseID: UUID, askedIn language: String, untranslated keys: [String], on sql: any SQLDatabase) async throws {
        try await sql.update("case_intake").set("asked_in", to: language).set("untranslated", to: try JSONCoding.string(keys))
            .where("case_id", .equal, caseID).run()
    }

    /// What is on record for a requester: their organisation's name, and the product version their organisation's
    /// equipment runs (when it runs one) or else the version of their latest case in the same category (a version from
    /// a case about another product would be a wrong guess).
    static func knownFacts(requesterID: UUID, organisationID: UUID?, categoryID: UUID, on sql: any SQLDatabase) async throws -> IntakeKnownFacts {
        var facts = IntakeKnownFacts()
        if let organisationID {
            facts.organisation = try await sql.select().column("name").from("organisations").where("id", .equal, organisationID)
                .first()?.decode(column: "name", as: String.self)
            let fromAssets = try await sql.raw("""
                SELECT DISTINCT product_version_id FROM assets
                WHERE organisation_id = \(bind: organisationID) AND product_version_id IS NOT NULL AND retired = \(bind: false)
                """).all().map { try $0.decode(column: "product_version_id", as: UUID.self) }
            if fromAssets.count == 1 { facts.productVersion = try await versionFact(fromAssets[0], on: sql) }
        }
        if facts.productVersion == nil,
           let latest = try await sql.raw("""
               SELECT product_version_id FROM cases WHERE requester_id = \(bind: requesterID) AND category_id = \(bind: categoryID)
               AND product_version_id IS NOT NULL ORDER BY created_at DESC LIMIT 1
               """).first() {
            facts.productVersion = try await versionFact(try latest.decode(column: "product_version_id", as: UUID.self), on: sql)
        }
        return facts
    }

    private static func versionFact(_ id: UUID, on sql: any SQLDatabase) async throws -> (id: String, label: String)? {
        try await versionLabels(ids: [id], on: sql)[id].map { (id: id.uuidString.lowercased(), label: $0) }
    }

    /// "Product version" labels for the given version ids.
    static func versionLabels(ids: [UUID], on sql: any SQLDatabase) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("""
            SELECT v.id AS id, p.name AS product, v.name AS version FROM product_versions v JOIN products p ON p.id = v.product_id
            WHERE v.id IN (\(binds: ids))
            """).all()
        var labels: [UUID: String] = [:]
        for row in rows {
            labels[try row.decode(column: "id", as: UUID.self)] = "\(try row.decode(column: "product", as: String.self)) \(try row.decode(column: "version", as: String.self))"
        }
        return labels
    }

    /// Every product version still offered, as (id, label), for the version question's options.
    static func allVersions(on sql: any SQLDatabase) async throws -> [(id: UUID, label: String)] {
        try await sql.raw("""
            SELECT v.id AS id, p.name AS product, v.name AS version FROM product_versions v JOIN products p ON p.id = v.product_id
            WHERE v.retired_at IS NULL AND p.retired_at IS NULL
            ORDER BY p.name, v.name
            """).all().map { (try $0.decode(column: "id", as: UUID.self),
                             "\(try $0.decode(column: "product", as: String.self)) \(try $0.decode(column: "version", as: String.self))") }
    }

    private static func decode(_ row: any SQLRow) throws -> Version {
        Version(id: try row.decode(column: "id", as: UUID.self), categoryID: try row.decode(column: "category_id", as: UUID.self),
                version: try row.decode(column: "version", as: Int.self),
                flow: try JSONCoding.decode(IntakeFlow.self, try row.decode(column: "definition", as: String.self)),
                createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
