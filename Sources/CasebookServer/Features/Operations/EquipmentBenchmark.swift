import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Measures preventive-maintenance planning at scale: seeds assets, then times work-order generation.
public enum EquipmentBenchmark {
    /// Seeds `count` assets of one organisation under one type plan; returns the organisation's id.
    public static func seedAssets(_ app: Application, count: Int) async throws -> UUID {
        let services = app.casebook
        let now = services.clock()
        let organisation = RecordID.make()
        try await services.store.write { db in
            let sql = services.store.sql(db)
            try await sql.insert(into: OrganisationModel.schema).columns("id", "name", "seats", "shares_cases", "created_at")
                .values(SQLBind(organisation), SQLBind("Bench Industries"), SQLBind(500), SQLBind(false), SQLBind(now)).run()
        }
        let criticalities = AssetCriticality.allCases
        for start in stride(from: 0, to: count, by: 2_000) {
            try await services.store.write { db in
                let sql = services.store.sql(db)
                var insert = sql.insert(into: "assets").columns("id", "organisation_id", "name", "asset_type", "serial", "criticality", "monitored",
                                                                "tag_token", "retired", "created_at", "updated_at")
                for index in start..<min(start + 2_000, count) {
                    insert = insert.values(SQLBind(RecordID.make()), SQLBind(organisation), SQLBind("Sensor \(index)"), SQLBind("sensor"), SQLBind("S-\(index)"),
                                           SQLBind(criticalities[index % criticalities.count].rawValue), SQLBind(index % 2 == 0),
                                           SQLBind(RandomToken.make()), SQLBind(false), SQLBind(now), SQLBind(now))
                }
                try await insert.run()
            }
        }
        try await services.store.write { db in
            try await services.store.sql(db).insert(into: "maintenance_plans")
                .columns("id", "name", "asset_type", "organisation_id", "starts_on", "checklist", "active", "created_at", "updated_at")
                .values(SQLBind(RecordID.make()), SQLBind("Sensor check"), SQLBind("sensor"), SQLBind(organisation),
                        SQLBind(BusinessCalendar.allHours().localDay(of: now).description),
                        SQLBind(#"[{"id":"reading","text":"Reading within range","required":true},{"id":"battery","text":"Battery above 20%","required":true}]"#),
                        SQLBind(true), SQLBind(now), SQLBind(now)).run()
        }
        return organisation
    }

    /// Runs the planner for today; returns the work orders it created.
    public static func generate(_ app: Application) async throws -> Int {
        let services = app.casebook
        return try await MaintenancePlanner(services: services).generate(today: BusinessCalendar.allHours().localDay(of: services.clock()))
    }
}
