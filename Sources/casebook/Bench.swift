import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `casebook bench`: the benchmarks; `http` (the default) loads a running server over loopback.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks: HTTP load against a running server, or the service-level engine.",
        subcommands: [HTTPBench.self, SLABench.self, EquipmentBench.self, ReportBench.self, WebBench.self, ImportBench.self, MailboxBench.self], defaultSubcommand: HTTPBench.self)
}

/// `casebook bench http`: load over HTTP on loopback; prints throughput and latency percentiles.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http", abstract: "Measure case creation, fetch and search over HTTP against a running server.")

    @ArgumentParser.Option(help: "Server base URL (loopback only).") var baseURL = "http://127.0.0.1:8080"
    @ArgumentParser.Option(help: "API token of an agent or admin.") var token: String
    @ArgumentParser.Option(help: "Fill the database to this many cases before measuring.") var fillTo = 100_000
    @ArgumentParser.Option(help: "Customers (in 20 organisations) the cases are filed for; 0 files them for nobody.") var people = 500
    @ArgumentParser.Option(help: "Seconds per measured phase.") var seconds = 10.0
    @ArgumentParser.Option(help: "After the phases, this many seconds of mixed load (creates, fetches, searches), reported per interval.")
    var soak = 0.0
    @ArgumentParser.Option(help: "Seconds per reported interval of the soak.") var soakInterval = 60.0
    @ArgumentParser.Option(help: "PID of the server, to report its resident memory.") var serverPid: Int32?
    @ArgumentParser.Option(help: "Write the figures as JSON to this file.") var out: String?
    @ArgumentParser.Option(help: "A label for the run (e.g. sqlite or postgres).") var label = "casebook"

    func validate() throws {
        guard let host = URL(string: baseURL)?.host, host == "127.0.0.1" || host == "localhost" || host == "::1" else {
            throw ValidationError("--base-url must point at a loopback address")
        }
        guard seconds > 0, soak >= 0, soakInterval > 0, people >= 0 else {
            throw ValidationError("--seconds and --soak-interval must be positive, --soak and --people not negative")
        }
    }

    func run() async throws {
        var load = LoadClient(baseURL: baseURL, token: token)
        if people > 0 { load.directory = try await BenchDirectory.ensure(on: load, people: people) }
        var results: [PhaseResult] = []
        func measured(_ phase: PhaseResult) -> PhaseResult {
            var phase = phase
            phase.serverRSSMegabytes = serverPid.flatMap(ResidentMemory.megabytes(pid:))
            print(PhaseResult.table([phase]).split(separator: "\n").last.map(String.init) ?? "")
            return phase
        }
        let existing = try await load.count()
        if existing < fillTo {
            print("filling \(existing) → \(fillTo) cases…")
            results.append(measured(try await load.run(name: "fill", clients: 8, budget: .count(fillTo - existing)) { client, index in
                try await client.createCase(existing + index)
            }))
        }
        var writer: [WriterFigures] = []
        for clients in [1, 4] {
            let name = clients == 1 ? "create, 1 client" : "create, \(clients) clients"
            let before = try await WriterFigures.totals(from: load)
            let phase = measured(try await load.run(name: name, clients: clients, budget: .seconds(seconds)) { client, index in try await client.createCase(index) })
            results.append(phase)
            let after = try await WriterFigures.totals(from: load)
            if let figures = WriterFigures(phase: name, before: before, after: after, seconds: phase.seconds) { writer.append(figures) }
        }
        let numbers = try await load.sampleNumbers()
        results.append(measured(try await load.run(name: "fetch, 4 clients", clients: 4, budget: .seconds(seconds)) { client, index in
            try await client.fetch(number: numbers[index % numbers.count])
        }))
        results.append(measured(try await load.run(name: "search, 4 clients", clients: 4, budget: .seconds(seconds)) { client, index in
            try await client.search(index)
        }))
        results.append(measured(try await load.run(name: "search who, 4 clients", clients: 4, budget: .seconds(seconds)) { client, index in
            try await client.searchByWho(index, numbers: numbers)
        }))
        var elapsed = 0.0
        while elapsed < soak {
            let interval = min(soakInterval, soak - elapsed)
            elapsed += interval
            let name = String(format: "soak %d:%02d", Int(elapsed) / 60, Int(elapsed) % 60)
            results.append(measured(try await load.run(name: name, clients: 4, budget: .seconds(interval)) { client, index in
                try await client.mixed(index, numbers: numbers)
            }))
        }
        try await load.client.shutdown()
        let rss = serverPid.flatMap(ResidentMemory.megabytes(pid:))
        print("")
        print(PhaseResult.table(results))
        if let rss { print(String(format: "server RSS: %.1f MB", rss)) }
        if !writer.isEmpty { print(WriterFigures.table(writer)) }
        if let out {
            let report = BenchReport(label: label, date: Date().formatted(.iso8601), cases: max(existing, fillTo), phases: results, serverRSSMegabytes: rss,
                                     writer: writer)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: out))
        }
    }
}

/// What one run of the benchmark measured.
struct BenchReport: Codable {
    let label: String
    let date: String
    let cases: Int
    let phases: [PhaseResult]
    let serverRSSMegabytes: Double?
    /// SQLite's single writer during the creation phases (empty on PostgreSQL).
    let writer: [WriterFigures]
}

/// Reads a process's resident set size from /proc.
enum ResidentMemory {
    static func megabytes(pid: Int32) -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kilobytes / 1024
    }
}
