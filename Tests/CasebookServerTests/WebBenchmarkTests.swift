@testable import CasebookServer
import Foundation
import Testing
import NIOConcurrencyHelpers
import Vapor

@Suite("casebook bench web keeps working")
struct WebBenchmarkTests {
    @Test("a tiny run signs in, renders every measured page and prints a figure for each")
    func tinyRun() async throws {
        try await withCasebook(.sqlite) { app in
            let lines = LineCollector()
            try await WebBenchmark.run(app, cases: 100, entries: 12, repeats: 2) { lines.add($0) }
            let printed = lines.all
            for page in ["queue, 50 rows (all open)", "queue, 50 rows (mine)", "case page", "portal case page", "manager dashboard"] {
                #expect(printed.contains { $0.hasPrefix(page) && $0.contains("p95") }, "\(page): \(printed)")
            }
        }
    }
}

/// Collects what a benchmark prints, from any task.
final class LineCollector: Sendable {
    private let lines = NIOLockedValueBox<[String]>([])
    func add(_ line: String) { lines.withLockedValue { $0.append(line) } }
    var all: [String] { lines.withLockedValue { $0 } }
}
