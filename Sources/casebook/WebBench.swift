import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook bench web`: server-side render time of the queue and a long case page at 100,000 cases, on a scratch SQLite
/// database or a scratch schema of a PostgreSQL database.
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "web", abstract: "Measure the console's queue and case pages at 100,000 cases.")

    @ArgumentParser.Option(help: "Cases to seed.") var cases = 100_000
    @ArgumentParser.Option(help: "Timeline entries on the long case.") var entries = 200
    @ArgumentParser.Option(help: "Renders of each page.") var repeats = 200
    @ArgumentParser.Option(help: "A PostgreSQL URL: seed and measure in a scratch schema there (dropped afterwards) instead of a scratch SQLite file.")
    var postgres: String?
    @ArgumentParser.Option(help: "Measure again what an earlier run kept (CASEBOOK_BENCH_KEEP=1): its PostgreSQL schema, or its SQLite folder.")
    var reuse: String?

    func validate() throws {
        guard (100...2_000_000).contains(cases), (10...5_000).contains(entries), (10...10_000).contains(repeats) else {
            throw ValidationError("--cases 100…2000000, --entries 10…5000, --repeats 10…10000")
        }
    }

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-web-bench-\(UUID().uuidString)").path
        // On PostgreSQL the folder only holds files; the database is a schema there.
        let directory = postgres == nil ? reuse ?? scratch : scratch
        // CASEBOOK_BENCH_KEEP=1 keeps the seeded database for a look at query plans, or to measure it again (--reuse).
        let keep = ProcessInfo.processInfo.environment["CASEBOOK_BENCH_KEEP"] == "1" || reuse != nil
        defer {
            if keep, postgres == nil { print("kept \(directory)") } else { try? FileManager.default.removeItem(atPath: directory) }
        }
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        let schema = postgres == nil ? "" : reuse ?? "bench_web_" + UUID().uuidString.prefix(8).lowercased()
        configuration.database = postgres.map { .postgres(url: $0, schema: schema) } ?? .sqlite(path: directory + "/bench.sqlite")
        configuration.logLevel = "warning"
        configuration.bcryptCost = 4
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            try await WebBenchmark.run(app, cases: cases, entries: entries, repeats: repeats) { print($0) }
        } catch {
            if postgres != nil, !keep { try? await WebBenchmark.dropSchema(schema, app) }
            try? await app.asyncShutdown()
            throw error
        }
        if postgres != nil { if keep { print("kept schema \(schema)") } else { try await WebBenchmark.dropSchema(schema, app) } }
        try await app.asyncShutdown()
    }
}
