import CasebookCore
import Foundation
import SQLKit

/// Reads and writes of case rows, their tag rows and the case number counter, in plain SQL.
///
/// The hot paths (open, read, change, search) use this instead of `CaseModel`: Fluent builds every model through
/// runtime reflection, which cost about 0.7 ms a query here, more than the query itself.
enum CaseRepository {
    static func find(number: Int, on sql: any SQLDatabase) async throws -> CaseRecord? {
        try await sql.select().columns(CaseRecord.columnList).from("cases")
            .where("number", .equal, number).first().map(CaseRecord.init(row:))
    }

    static func find(id: UUID, on sql: any SQLDatabase) async throws -> CaseRecord? {
        try await sql.select().columns(CaseRecord.columnList).from("cases")
            .where("id", .equal, id).first().map(CaseRecord.init(row:))
    }

    /// The rows for `ids`, in the order given.
    static func find(ids: [UUID], on sql: any SQLDatabase) async throws -> [CaseRecord] {
        guard !ids.isEmpty else { return [] }
        let rows = try await sql.select().columns(CaseRecord.columnList).from("cases")
            .where("id", .in, SQLBind.group(ids)).all().map(CaseRecord.init(row:))
        let byID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }

    static func insert(_ record: CaseRecord, on sql: any SQLDatabase) async throws {
        try await insert([record], on: sql)
    }

    static func insert(_ records: [CaseRecord], on sql: any SQLDatabase) async throws {
        try await rowInsert.run(records.map(\.row), on: sql)
    }

    // Every case creation runs it inside the single writer: its text is made once, not per case.
    private static let rowInsert = RowInsert(into: "cases", columns: CaseRecord.columnList)

    /// Writes every column but the id and number.
    static func update(_ record: CaseRecord, on sql: any SQLDatabase) async throws {
        var update = sql.update("cases")
        for (column, value) in zip(CaseRecord.columns, record.row) where column != "id" && column != "number" {
            update = update.set(SQLIdentifier(column), to: SQLBind(value.encodable))
        }
        try await update.where("id", .equal, record.id).run()
        CaseChanges.note(record.id)
    }

    /// Moves the version on from the one a writer saw; false when another writer moved it first.
    static func claimVersion(id: UUID, expected: Int, at now: Date, on sql: any SQLDatabase) async throws -> Bool {
        let claimed = try await sql.raw("""
            UPDATE cases SET version = version + 1, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING version
            """).first() != nil
        if claimed { CaseChanges.note(id) }
        return claimed
    }

    /// Takes the case row's write lock (by touching `updated_at`) and reads it; nil when there is no such case.
    static func lock(number: Int, at now: Date, on sql: any SQLDatabase) async throws -> CaseRecord? {
        guard try await sql.raw("UPDATE cases SET updated_at = \(bind: now) WHERE number = \(bind: number) RETURNING id").first() != nil
        else { return nil }
        return try await find(number: number, on: sql)
    }

    /// Replaces a case's tag rows (kept beside the case so tag filters use an index).
    static func writeTags(_ tags: [String], caseID: UUID, replacing: Bool, on sql: any SQLDatabase) async throws {
        if replacing { try await sql.delete(from: "case_tags").where("case_id", .equal, caseID).run() }
        try await tagInsert.run(tags.map { [.id(RecordID.make()), .id(caseID), .text($0)] }, on: sql)
    }

    private static let tagInsert = RowInsert(into: "case_tags", columns: SQLColumnList(["id", "case_id", "tag"]))

    /// The next page of open (not solved or closed) cases, by id, for sweeps that visit every one.
    static func openCaseIDs(after: UUID?, limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        var select = sql.select().column("id").from("cases").where("status", .notIn, [CaseStatus.solved.rawValue, CaseStatus.closed.rawValue])
        if let after { select = select.where("id", .greaterThan, after) }
        return try await select.orderBy("id").limit(limit).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// How many cases there are.
    static func count(on sql: any SQLDatabase) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM cases").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The next case number from the counter row, never below `start`; nil when the counter row is missing.
    static func takeNumber(counter: String, start: Int, on sql: any SQLDatabase) async throws -> Int? {
        try await sql.raw("""
            UPDATE counters SET value = CASE WHEN value < \(bind: start) THEN \(bind: start) ELSE value + 1 END
            WHERE name = \(bind: counter) RETURNING value
            """).first()?.decode(column: "value", as: Int.self)
    }

    /// The active custom field definitions, which a case's custom fields are checked against.
    static func customFieldDefinitions(on sql: any SQLDatabase) async throws -> [CustomFieldDefinition] {
        try await sql.select().columns("key", "label", "kind", "required", "choices").from("custom_fields")
            .where("active", .equal, true).all().map { row in
                CustomFieldDefinition(
                    key: try row.decode(column: "key", as: String.self), label: try row.decode(column: "label", as: String.self),
                    kind: CustomFieldKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .text,
                    required: try row.decode(column: "required", as: Bool.self),
                    choices: CaseCodec.tags(try row.decode(column: "choices", as: String.self)))
            }
    }
}
