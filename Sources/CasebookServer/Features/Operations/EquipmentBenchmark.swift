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
            try await BenchFixtureRepository.insertOrganisation(organisation, name: "Bench Industries", seats: 500, at: now, on: services.store.sql(db))
        }
        for start in stride(from: 0, to: count, by: 2_000) {
            try await services.store.write { db in
                try await BenchFixtureRepository.insertSensors(start..<min(start + 2_000, count), organisationID: organisation, at: now, on: services.store.sql(db))
            }
        }
        try await services.store.write { db in
            try await BenchFixtureRepository.insertSensorPlan(organisationID: organisation, at: now, on: services.store.sql(db))
        }
        return organisation
    }

    /// Runs the planner for today; returns the work orders it created.
    public static func generate(_ app: Application) async throws -> Int {
        let services = app.casebook
        return try await MaintenancePlanner(services: services).generate(today: BusinessCalendar.allHours().localDay(of: services.clock()))
    }
}
