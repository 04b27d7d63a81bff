import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook bench web`: server-side render time of the queue and a long case page at 100,000 cases, on a scratch SQLite database.
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "web", abstract: "Measure the console's queue and case pages at 100,000 cases.")

    @ArgumentParser.Option(help: "Cases to seed.") var cases = 100_000
    @ArgumentParser.Option(help: "Timeline entries on the long case.") var entries = 200
    @ArgumentParser.Option(help: "Renders of each page.") var repeats = 200

    func validate() throws {
        guard (100...2_000_000).contains(cases), (10...5_000).contains(entries), (10...10_000).contains(repeats) else {
            throw ValidationError("--cases 100…2000000, --entries 10…5000, --repeats 10…10000")
        }
    }

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-web-bench-\(UUID().uuidString)").path
        // CASEBOOK_BENCH_KEEP=1 keeps the seeded database for a look at query plans.
        let keep = ProcessInfo.processInfo.environment["CASEBOOK_BENCH_KEEP"] == "1"
        defer { if keep { print("kept \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) } }
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        configuration.database = .sqlite(path: directory + "/bench.sqlite")
        configuration.logLevel = "warning"
        configuration.bcryptCost = 4
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            try await WebBenchmark.run(app, cases: cases, entries: entries, repeats: repeats) { print($0) }
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
