@testable import CasebookServer
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor

/// A log handler that keeps what it is told, for tests that check what an operator would read.
struct CapturedLog: LogHandler {
    let lines: NIOLockedValueBox<[(message: String, metadata: Logger.Metadata)]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLockedValue { $0.append((event.message.description, event.metadata ?? [:])) }
    }
}

@Suite("Slow write transactions are named")
struct SlowWriteLogTests {
    @Test("a transaction holding SQLite's writer over 100 ms is logged with where its writes came from; a quick one is not")
    func slowHoldNamesItsOrigin() async throws {
        try await withCasebook(.sqlite) { app in
            let lines = NIOLockedValueBox<[(message: String, metadata: Logger.Metadata)]>([])
            let logger = Logger(label: "test") { _ in CapturedLog(lines: lines) }
            let gate = WriteGate(isEnabled: true, logger: logger)
            let writer = app.databases.database(DatabaseSetup.sqliteWriter, logger: app.logger, on: app.eventLoopGroup.any())!
            _ = try await gate.run(on: writer, origin: "Quick.swift:1") { _ in 1 }
            _ = try await gate.run(on: writer, origin: "Slow.swift:42") { _ in
                try await Task.sleep(for: .milliseconds(150))
                return 2
            }
            let logged = lines.withLockedValue { $0 }
            #expect(logged.count == 1, "\(logged.map(\.message))")
            #expect(logged.first?.message == "slow write transaction")
            #expect(logged.first?.metadata["from"]?.description == "Slow.swift:42")
            #expect(Int(logged.first?.metadata["ms"]?.description ?? "") ?? 0 >= 150)
        }
    }

}
