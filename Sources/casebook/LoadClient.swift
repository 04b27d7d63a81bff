import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Figures for one benchmark phase.
struct PhaseResult: Codable {
    let name: String
    let requests: Int
    let errors: Int
    let seconds: Double
    let perSecond: Double
    let p50ms: Double
    let p95ms: Double
    let p99ms: Double
    /// The slowest request in a thousand, and the slowest of all: where a stall behind background work shows.
    let p999ms: Double
    let maxms: Double
    /// The server's resident memory when the phase ended, where the bench was given its process id.
    var serverRSSMegabytes: Double?

    static func table(_ results: [PhaseResult]) -> String {
        var lines = ["phase                  requests  errors    req/s   p50 ms   p95 ms   p99 ms p99.9 ms   max ms   RSS MB"]
        for r in results {
            let rss = r.serverRSSMegabytes.map { String(format: "%8.1f", $0) } ?? "       –"
            lines.append(String(format: "%-22@ %8d %7d %8.1f %8.2f %8.2f %8.2f %8.2f %8.1f %@", r.name as NSString, r.requests, r.errors,
                                r.perSecond, r.p50ms, r.p95ms, r.p99ms, r.p999ms, r.maxms, rss as NSString))
        }
        return lines.joined(separator: "\n")
    }
}

/// A small HTTP load generator for Casebook's API; every loop is bounded by count or time.
struct LoadClient: Sendable {
    enum Budget: Sendable {
        case seconds(Double)
        case count(Int)
    }

    let baseURL: String
    let token: String
    /// The customers new cases are filed for (none: cases without a requester).
    var directory = BenchDirectory(requesters: [])
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5), read: .seconds(30))))

    static let words = ["controller", "gateway", "licence", "dashboard", "reboot", "tunnel", "portal", "overheating", "export", "password"]

    /// Runs `operation` from `clients` simulated clients until the budget is spent. Each simulated client has a
    /// connection of its own, opened for the phase, as separate users would: the server spreads new connections over
    /// its event loops, while a shared pool may hand a phase connections that all sit on one of them.
    func run(name: String, clients: Int, budget: Budget, _ operation: @escaping @Sendable (LoadClient, Int) async throws -> Void) async throws -> PhaseResult {
        let start = ContinuousClock.now
        let counter = Counter()
        let samples = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<clients {
                group.addTask {
                    let own = LoadClient(baseURL: baseURL, token: token, directory: directory)
                    var latencies: [Double] = []
                    var errors = 0
                    requests: while true {
                        let index = counter.next()
                        switch budget {
                        case let .seconds(limit): if (ContinuousClock.now - start) > .seconds(limit) { break requests }
                        case let .count(limit): if index >= limit { break requests }
                        }
                        let began = ContinuousClock.now
                        do { try await operation(own, index) } catch { errors += 1 }
                        let elapsed = ContinuousClock.now - began
                        latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                        if errors > 1000 { break requests }
                    }
                    try await own.client.shutdown()
                    return (latencies, errors)
                }
            }
            var all: [Double] = []
            var errors = 0
            for try await (latencies, failed) in group {
                all += latencies
                errors += failed
            }
            return (all.sorted(), errors)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func percentile(_ p: Double) -> Double {
            samples.0.isEmpty ? 0 : samples.0[min(samples.0.count - 1, Int(Double(samples.0.count) * p))]
        }
        return PhaseResult(name: name, requests: samples.0.count, errors: samples.1, seconds: seconds,
                           perSecond: Double(samples.0.count) / max(seconds, 0.001), p50ms: percentile(0.5), p95ms: percentile(0.95), p99ms: percentile(0.99),
                           p999ms: percentile(0.999), maxms: samples.0.last ?? 0)
    }

    func createCase(_ index: Int) async throws {
        let word = Self.words[index % Self.words.count]
        let requester = directory.requester(for: index).map { #","requester_id":"\#($0.uuidString)""# } ?? ""
        let body = #"{"subject":"Bench \#(word) problem \#(index)","description":"The \#(word) stops responding after the nightly job; steps tried: restart, cable reseat. Run \#(index).","priority":"normal","tags":["bench"]\#(requester)}"#
        try await send(.POST, "/api/v1/cases", body: body, expect: 201)
    }

    func fetch(number: Int) async throws {
        try await send(.GET, "/api/v1/cases/\(number)", expect: 200)
    }

    func search(_ index: Int) async throws {
        let word = Self.words[index % Self.words.count]
        let status = ["open", "new", "new,open"][index % 3]
        try await send(.GET, "/api/v1/cases?q=\(word)&status=\(status)&limit=25", expect: 200)
    }

    /// What an agent types when the customer is on the phone: their reference, their name or their company's name.
    func searchByWho(_ index: Int, numbers: [Int]) async throws {
        let text: String
        switch index % 3 {
        case 0: text = "CB-\(numbers[index % numbers.count])"
        case 1: text = BenchDirectory.familyNames[index % BenchDirectory.familyNames.count].lowercased()
        default: text = BenchDirectory.organisationNames[index % BenchDirectory.organisationNames.count].lowercased()
        }
        try await send(.GET, "/api/v1/cases?q=\(text)&limit=25", expect: 200)
    }

    /// A desk's day in miniature: two creations, five fetches and three searches (one of them by who) in ten requests.
    func mixed(_ index: Int, numbers: [Int]) async throws {
        switch index % 10 {
        case 0, 5: try await createCase(index)
        case 3: try await searchByWho(index / 10, numbers: numbers)
        case 6, 8: try await search(index / 10)
        default: try await fetch(number: numbers[index % numbers.count])
        }
    }

    func count() async throws -> Int {
        let data = try await send(.GET, "/metrics", expect: 200)
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("casebook_cases ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    func sampleNumbers() async throws -> [Int] {
        let data = try await send(.GET, "/api/v1/cases?limit=100&sort=-number", expect: 200)
        struct Page: Decodable { struct Item: Decodable { let number: Int }; let items: [Item] }
        let numbers = try JSONDecoder().decode(Page.self, from: data).items.map(\.number)
        guard let high = numbers.first else { return [1] }
        let low = max(1, high - 100_000)
        var generator = SystemRandomNumberGenerator()
        return (0..<1000).map { _ in Int.random(in: low...high, using: &generator) }.filter { $0 >= 10000 || low < 10000 }
    }

    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, body: String? = nil, expect: UInt) async throws -> Data {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        guard response.status.code == expect || (expect == 200 && response.status.code == 404) else {
            throw LoadError.status(Int(response.status.code))
        }
        return Data(buffer: buffer)
    }

    enum LoadError: Error { case status(Int) }
}

/// A shared counter the load tasks draw request numbers from.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
