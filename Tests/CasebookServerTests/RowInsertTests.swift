@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Bulk rows: one prepared statement per row on SQLite, multi-row statements elsewhere")
struct RowInsertTests {
    private static let probe = RowInsert(into: "row_probe", columns: SQLColumnList(["id", "label", "seen_at", "owner"]),
                                         updatingOnConflictOf: ["id"])

    private static func createProbe(_ store: Store) async throws {
        try await store.write { db in
            try await store.sql(db).raw("CREATE TABLE row_probe (id BIGINT PRIMARY KEY, label TEXT NOT NULL UNIQUE, seen_at DOUBLE PRECISION, owner TEXT)").run()
        }
    }

    private static func row(_ id: Int, _ label: String, _ owner: String) -> [RowValue] {
        [.integer(id), .text(label), .double(Double(id)), .text(owner)]
    }

    private static func labels(_ store: Store) async throws -> [String] {
        try await store.reading { db in
            try await store.sql(db).raw("SELECT label FROM row_probe ORDER BY id").all().map { try $0.decode(column: "label", as: String.self) }
        }
    }

    @Test("writes every row, and a second run with the same keys updates the other columns", arguments: TestDatabase.all)
    func insertsAndUpserts(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let store = app.casebook.store
            try await Self.createProbe(store)
            let rows: [[RowValue]] = (1...1_200).map { [.integer($0), .text("row \($0)"), .double(Double($0)), RowValue($0 % 2 == 0 ? "even" : nil)] }
            try await store.write { db in try await Self.probe.run(rows, on: store.sql(db)) }
            #expect(try await Self.labels(store).count == 1_200)
            try await store.write { db in
                try await Self.probe.run([[.integer(7), .text("seventh"), .double(7.5), .text("changed")], [.integer(1_201), .text("new"), .null(.double), .null(.text)]],
                                     on: store.sql(db))
            }
            let labels = try await Self.labels(store)
            #expect(labels.count == 1_201)
            #expect(labels[6] == "seventh" && labels.last == "new")
            let owner = try await store.reading { db in
                try await store.sql(db).raw("SELECT owner FROM row_probe WHERE id = 1").first()?.decode(column: "owner", as: String?.self)
            }
            #expect(owner == .some(nil), "a null bound in a bulk row reads back as null")
        }
    }

    @Test("a row the database refuses fails the write with the database's own error, and nothing of the write is kept",
          arguments: TestDatabase.all)
    func refusedRowFailsTheWrite(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let store = app.casebook.store
            try await Self.createProbe(store)
            try await store.write { db in try await Self.probe.run([Self.row(1, "kept", "a")], on: store.sql(db)) }
            // Row 3 repeats a unique label with a new id: not an upsert of the key, a refused row.
            let rows = [Self.row(2, "two", "b"), Self.row(3, "three", "c"), Self.row(4, "kept", "d"), Self.row(5, "five", "e")]
            await #expect(throws: (any Error).self) {
                try await store.write { db in try await Self.probe.run(rows, on: store.sql(db)) }
            }
            #expect(try await Self.labels(store) == ["kept"], "the rows before the refused one went with the transaction")
            // The connection and its kept statement still work.
            try await store.write { db in try await Self.probe.run([Self.row(6, "six", "f")], on: store.sql(db)) }
            #expect(try await Self.labels(store) == ["kept", "six"])
        }
    }

    @Test("ids and dates written in bulk are found and read back as the rest of the store writes them", arguments: TestDatabase.all)
    func idsAndDatesReadBack(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let store = app.casebook.store
            let insert = RowInsert(into: "row_ids", columns: SQLColumnList(["id", "owner", "seen_at"]))
            try await store.write { db in
                try await store.sql(db).raw("CREATE TABLE row_ids (id UUID PRIMARY KEY, owner UUID, seen_at TIMESTAMPTZ)").run()
            }
            let ids = (0..<50).map { _ in UUID() }
            let seen = Date(timeIntervalSince1970: 1_795_000_000.25)
            try await store.write { db in
                try await insert.run(ids.enumerated().map { [.id($1), RowValue($0 % 2 == 0 ? $1 : nil), .date(seen)] }, on: store.sql(db))
            }
            let found = try await store.reading { db in
                // Bound the way every other statement binds an id, so a lookup finds what the bulk write stored.
                try await store.sql(db).raw("SELECT id, owner, seen_at FROM row_ids WHERE id = \(bind: ids[4])").first()
            }
            let row = try #require(found)
            #expect(try row.decode(column: "id", as: UUID.self) == ids[4])
            #expect(try row.decode(column: "owner", as: UUID?.self) == ids[4])
            #expect(abs(try row.decode(column: "seen_at", as: Date.self).timeIntervalSince(seen)) < 0.001)
            let unowned = try await store.reading { db in
                try await store.sql(db).raw("SELECT owner FROM row_ids WHERE id = \(bind: ids[5])").first()?.decode(column: "owner", as: UUID?.self)
            }
            #expect(unowned == .some(nil))
        }
    }
}
