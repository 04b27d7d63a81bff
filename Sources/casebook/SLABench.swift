import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook bench sla`: recompute due times for many open cases and time rule evaluation, on a scratch database.
struct SLABench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla", abstract: "Measure recomputing SLA due times for many open cases and evaluating rules per event.")

    @ArgumentParser.Option(help: "Open cases to seed.") var cases = 100_000
    @ArgumentParser.Option(help: "Rules evaluated per event.") var rules = 200
    @ArgumentParser.Option(help: "A scratch PostgreSQL database URL (default: a temporary SQLite file).") var databaseURL: String?

    func validate() throws {
        guard (1_000...2_000_000).contains(cases) else { throw ValidationError("--cases must be from 1000 to 2000000") }
        guard (1...10_000).contains(rules) else { throw ValidationError("--rules must be from 1 to 10000") }
    }

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-sla-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        configuration.database = .sqlite(path: directory + "/bench.sqlite")
        if let databaseURL {
            configuration.database = .postgres(url: databaseURL, schema: "sla_bench_" + String(UUID().uuidString.prefix(8)).lowercased())
        }
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            let figures = try await ServiceLevelBenchmark.run(app, cases: cases, rules: rules) { print($0) }
            print("")
            for figure in figures { print(figure.name.padding(toLength: 72, withPad: " ", startingAt: 0) + String(format: "%10.2f ", figure.value) + figure.unit) }
            if case let .postgres(_, schema?) = configuration.database {
                try await AdminOperations.dropSchema(app, schema)
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
