import ArgumentParser
import CasebookServer
import Foundation
import NIOCore
import Vapor

/// `casebook bench equipment`: alert intake over HTTP (with deduplication) and work-order generation for many assets,
/// on a scratch SQLite database and a server of its own on loopback.
struct EquipmentBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "equipment", abstract: "Measure monitoring-alert intake and maintenance work-order generation.")

    @ArgumentParser.Option(help: "Assets to seed for work-order generation.") var assets = 100_000
    @ArgumentParser.Option(help: "Distinct alert fingerprints (each opens one incident).") var fingerprints = 200
    @ArgumentParser.Option(help: "Alerts to send as repeats, in grouped notifications.") var alerts = 40_000
    @ArgumentParser.Option(help: "Alerts per Alertmanager notification in the grouped phase.") var groupSize = 20
    @ArgumentParser.Option(help: "Concurrent HTTP clients.") var clients = 8
    @ArgumentParser.Option(help: "Loopback port for the scratch server.") var port = 18_181

    func validate() throws {
        guard (1_000...2_000_000).contains(assets) else { throw ValidationError("--assets must be from 1000 to 2000000") }
        guard (1...10_000).contains(fingerprints), (1...1_000).contains(groupSize), (1...256).contains(clients) else {
            throw ValidationError("--fingerprints 1…10000, --group-size 1…1000, --clients 1…256")
        }
    }

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-equipment-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        configuration.database = .sqlite(path: directory + "/bench.sqlite")
        configuration.outbound.transport = .none
        configuration.hostname = "127.0.0.1"
        configuration.port = port
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            _ = try await AdminOperations.addUser(app, email: "bench-admin@cb.example", name: "Bench", role: "admin", organisation: nil, password: nil)
            let token = try await AdminOperations.issueToken(app, email: "bench-admin@cb.example", name: "bench")
            try await app.server.start(address: .hostname("127.0.0.1", port: port))
            let load = LoadClient(baseURL: "http://127.0.0.1:\(port)", token: token)
            var results: [PhaseResult] = []
            let fingerprints = self.fingerprints
            let groupSize = self.groupSize
            // First sightings: every fingerprint opens its incident (a case with timeline, rules and clocks).
            let firstBatch = 10
            let first = try await load.run(name: "first sightings", clients: clients, budget: .count((fingerprints + firstBatch - 1) / firstBatch)) { client, index in
                let alerts = (0..<firstBatch).map { index * firstBatch + $0 }.filter { $0 < fingerprints }
                try await client.send(.POST, "/api/v1/alerts/alertmanager", body: Self.payload(alerts), expect: 200)
            }
            results.append(first)
            let grouped = try await load.run(name: "repeats, grouped", clients: clients, budget: .count(alerts / groupSize)) { client, index in
                let alerts = (0..<groupSize).map { (index * groupSize + $0) % fingerprints }
                try await client.send(.POST, "/api/v1/alerts/alertmanager", body: Self.payload(alerts), expect: 200)
            }
            results.append(grouped)
            let single = try await load.run(name: "repeats, one per post", clients: clients, budget: .count(min(alerts / 4, 10_000))) { client, index in
                try await client.send(.POST, "/api/v1/alerts/alertmanager", body: Self.payload([index % fingerprints]), expect: 200)
            }
            results.append(single)
            try await load.client.shutdown()
            print(PhaseResult.table(results))
            print("")
            print(String(format: "alerts/s  first sightings %.0f   repeats grouped by %d %.0f   repeats one per post %.0f",
                         Double(fingerprints) / first.seconds, groupSize, Double(grouped.requests * groupSize) / grouped.seconds, single.perSecond))
            await app.server.shutdown()

            let seedStart = ContinuousClock.now
            _ = try await EquipmentBenchmark.seedAssets(app, count: assets)
            print(String(format: "seeded %d assets under one type plan in %.2f s", assets, (ContinuousClock.now - seedStart).seconds))
            let generateStart = ContinuousClock.now
            let created = try await EquipmentBenchmark.generate(app)
            let generateSeconds = (ContinuousClock.now - generateStart).seconds
            print(String(format: "work-order generation: %d work orders for %d assets in %.2f s (%.0f/s)", created, assets, generateSeconds,
                         Double(created) / generateSeconds))
            let againStart = ContinuousClock.now
            let again = try await EquipmentBenchmark.generate(app)
            print(String(format: "second run (nothing new due): %d created in %.2f s", again, (ContinuousClock.now - againStart).seconds))
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// An Alertmanager v4 notification carrying the numbered alerts (fingerprint `bench-N`).
    static func payload(_ alerts: [Int]) -> String {
        let items = alerts.map { n in
            #"{"status":"firing","labels":{"alertname":"HighTemperature","instance":"sensor-\#(n):9100","severity":"warning"},"annotations":{"summary":"Sensor \#(n) reads 41 °C"},"startsAt":"2026-11-23T07:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"bench-\#(n)"}"#
        }
        return #"{"version":"4","groupKey":"bench","status":"firing","receiver":"casebook","groupLabels":{},"commonLabels":{"alertname":"HighTemperature"},"commonAnnotations":{},"externalURL":"http://am","truncatedAlerts":0,"alerts":["# + items.joined(separator: ",") + "]}"
    }
}
