import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook bench reports`: every report over a year of cases, on a scratch SQLite database.
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reports", abstract: "Measure the reports at a million cases.")

    @ArgumentParser.Option(help: "Cases to seed over the past year.") var cases = 1_000_000
    @ArgumentParser.Option(help: "Runs of each report.") var repeats = 20

    func validate() throws {
        guard (1_000...5_000_000).contains(cases), (1...1_000).contains(repeats) else { throw ValidationError("--cases 1000…5000000, --repeats 1…1000") }
    }

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-report-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        configuration.database = .sqlite(path: directory + "/bench.sqlite")
        configuration.logLevel = "warning"
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            try await ReportBenchmark.run(app, cases: cases, repeats: repeats) { print($0) }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
