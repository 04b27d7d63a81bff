import CasebookCore
import Foundation
import SQLKit

/// The bulk rows benchmarks seed before they measure: inserted many to a statement, bypassing the use cases on purpose
/// so that seeding a million rows takes minutes, not hours. Nothing a person does goes through here.
enum BenchFixtureRepository {
    static func insertOrganisation(_ id: UUID, name: String, seats: Int, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: OrganisationModel.schema).columns("id", "name", "seats", "shares_cases", "created_at")
            .values(SQLBind(id), SQLBind(name), SQLBind(seats), SQLBind(false), SQLBind(now)).run()
    }

    /// Sensors `range` of one organisation, of type "sensor", every other one monitored.
    static func insertSensors(_ range: Range<Int>, organisationID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        let criticalities = AssetCriticality.allCases
        var insert = sql.insert(into: "assets").columns("id", "organisation_id", "name", "asset_type", "serial", "criticality", "monitored",
                                                        "tag_token", "retired", "created_at", "updated_at")
        for index in range {
            insert = insert.values(SQLBind(RecordID.make()), SQLBind(organisationID), SQLBind("Sensor \(index)"), SQLBind("sensor"), SQLBind("S-\(index)"),
                                   SQLBind(criticalities[index % criticalities.count].rawValue), SQLBind(index % 2 == 0),
                                   SQLBind(RandomToken.make()), SQLBind(false), SQLBind(now), SQLBind(now))
        }
        try await insert.run()
    }

    /// A maintenance plan for every sensor of the organisation, starting today, with a two-item checklist.
    static func insertSensorPlan(organisationID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "maintenance_plans")
            .columns("id", "name", "asset_type", "organisation_id", "starts_on", "checklist", "active", "created_at", "updated_at")
            .values(SQLBind(RecordID.make()), SQLBind("Sensor check"), SQLBind("sensor"), SQLBind(organisationID),
                    SQLBind(BusinessCalendar.allHours().localDay(of: now).description),
                    SQLBind(#"[{"id":"reading","text":"Reading within range","required":true},{"id":"battery","text":"Battery above 20%","required":true}]"#),
                    SQLBind(true), SQLBind(now), SQLBind(now)).run()
    }

    static func insertCategory(_ id: UUID, name: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: CategoryModel.schema).columns("id", "name", "description", "created_at")
            .values(SQLBind(id), SQLBind(name), SQLBind(""), SQLBind(now)).run()
    }

    static func insertProduct(_ id: UUID, name: String, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: ProductModel.schema).columns("id", "name", "created_at").values(SQLBind(id), SQLBind(name), SQLBind(now)).run()
    }

    /// Timeline rows: id, case_id, position, kind, actor_id, field, old_value, new_value, message_id, visibility, created_at.
    static func insertTimelineRows(_ rows: [[any SQLExpression]], on sql: any SQLDatabase) async throws {
        for part in stride(from: 0, to: rows.count, by: 200) {
            try await sql.insert(into: "timeline_entries")
                .columns("id", "case_id", "position", "kind", "actor_id", "field", "old_value", "new_value", "message_id", "visibility", "created_at")
                .rows(Array(rows[part..<min(part + 200, rows.count)])).run()
        }
    }

    /// Message rows: id, case_id, author_id, visibility, channel, text, html, created_at.
    static func insertMessageRows(_ rows: [[any SQLExpression]], on sql: any SQLDatabase) async throws {
        for part in stride(from: 0, to: rows.count, by: 200) {
            try await sql.insert(into: "messages").columns("id", "case_id", "author_id", "visibility", "channel", "text", "html", "created_at")
                .rows(Array(rows[part..<min(part + 200, rows.count)])).run()
        }
    }

    /// Replaces the targets of the policy with this name.
    static func setPolicyTargets(named name: String, to targets: [String: SLATargets], at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("sla_policies").set("targets", to: try CalendarCodec.json(targets)).set("updated_at", to: now)
            .where("name", .equal, name).run()
    }

    static func allCaseIDs(on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("id").from("cases").all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    static func timelineLength(of caseID: UUID, on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM timeline_entries WHERE case_id = \(bind: caseID)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The web benchmark's long case, when a kept database holds it.
    static func longCase(subject: String, on sql: any SQLDatabase) async throws -> (id: UUID, number: Int)? {
        guard let row = try await sql.select().column("id").column("number").from("cases").where("subject", .equal, subject).first() else { return nil }
        return (try row.decode(column: "id", as: UUID.self), try row.decode(column: "number", as: Int.self))
    }

    /// Drops a benchmark's scratch PostgreSQL schema and everything in it.
    static func dropSchema(_ schema: String, on sql: any SQLDatabase) async throws {
        try await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
}
