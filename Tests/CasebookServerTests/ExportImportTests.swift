@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Export and import")
struct ExportImportTests {
    static func export(_ app: Application) async throws -> Data {
        var data = Data()
        try await DataExport.run(app, write: { data.append($0) }, progress: { _, _ in })
        return data
    }

    static func lines(_ data: Data) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            for line in data.split(separator: 0x0A) { continuation.yield(Data(line)) }
            continuation.finish()
        }
    }

    @Test("an export imported into an empty database reproduces it exactly", arguments: TestDatabase.all)
    func roundTrip(database: TestDatabase) async throws {
        var first = Data()
        try await withCasebook(database) { app in
            let summary = try await DemoData.load(app, cases: 25)
            #expect(summary.cases == 25)
            let f = try await app.call(.GET, "/api/v1/cases?limit=100", token: try await AdminOperations.issueToken(app, email: "admin@casebook.example", name: "t"))
            #expect((f.json["items"] as? [Any])?.count == 25)
            first = try await Self.export(app)
        }
        #expect(first.count > 10_000)
        try await withCasebook(database) { app in
            let count = try await DataImport.run(app, lines: Self.lines(first), progress: { _ in })
            #expect(count > 100)
            let second = try await Self.export(app)
            #expect(second == first, "\(firstDifference(first, second))")
            let token = try await AdminOperations.issueToken(app, email: "lena@casebook.example", name: "after import")
            let search = try await app.call(.GET, "/api/v1/cases?q=controller", token: token)
            #expect(((search.json["items"] as? [Any])?.count ?? 0) > 0, "the search index is rebuilt")
            let more = try await app.call(.POST, "/api/v1/cases", token: token, json: ["subject": "After import", "description": "numbers continue"])
            #expect(more.json["number"] as? Int == 10025)
        }
    }

    @Test("import refuses a database that already holds data, and bad lines")
    func refusals() async throws {
        try await withCasebook(.sqlite) { app in
            _ = try await Fixture.make(app)
            await #expect(throws: DataImport.NotEmpty.self) {
                _ = try await DataImport.run(app, lines: Self.lines(Data("{}".utf8)), progress: { _ in })
            }
        }
        try await withCasebook(.sqlite) { app in
            await #expect(throws: DataImport.BadLine.self) {
                _ = try await DataImport.run(app, lines: Self.lines(Data("not json\n".utf8)), progress: { _ in })
            }
        }
    }
}

/// Prints the first differing line of two exports, to explain a failed round trip.
func firstDifference(_ a: Data, _ b: Data) -> String {
    let left = a.split(separator: 0x0A), right = b.split(separator: 0x0A)
    for (l, r) in zip(left, right) where l != r {
        return "\(String(decoding: l, as: UTF8.self))\nvs\n\(String(decoding: r, as: UTF8.self))"
    }
    return "line counts \(left.count) vs \(right.count)"
}
