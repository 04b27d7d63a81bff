import CasebookCore
import Foundation
import SQLKit
import Vapor

/// One import from another help desk, as the API and its page show it.
struct ImportRunView: Content, Equatable {
    var id: UUID
    var source: String
    var baseURL: String
    var status: String
    var total: Int
    var imported: Int
    var skipped: Int
    var failed: Int
    var entries: Int
    var attachments: Int
    /// Percent of the tickets handled so far.
    var progress: Int
    /// What could not be mapped, and each ticket that failed with why.
    var notes: [String]
    var lastError: String?
    var startedAt: Date
    var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, source, status, total, imported, skipped, failed, entries, attachments, progress, notes
        case baseURL = "base_url", lastError = "last_error", startedAt = "started_at", finishedAt = "finished_at"
    }
}

/// The SQL of import runs.
enum ImportRunRepository {
    static let columns = ["id", "source", "base_url", "token", "status", "total", "imported", "skipped", "failed", "entries", "attachments", "cursor",
                          "notes", "last_error", "started_at", "finished_at"]

    struct Credentials: Codable, Sendable {
        var token: String?
        var user: String?
        var password: String?
    }

    static func create(source: String, baseURL: String, credentials: Credentials, at now: Date, on sql: any SQLDatabase) async throws -> UUID {
        let id = RecordID.make()
        try await sql.insert(into: "import_runs").columns(columns)
            .values(SQLBind(id), SQLBind(source), SQLBind(baseURL), SQLBind(try JSONCoding.string(credentials)), SQLBind("queued"), SQLBind(0),
                    SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(0), SQLBind(String?.none), SQLBind("[]"), SQLBind(String?.none),
                    SQLBind(now), SQLBind(Date?.none))
            .run()
        return id
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> (view: ImportRunView, cursor: String?, credentials: Credentials?)? {
        guard let row = try await sql.select().columns(columns.map { SQLColumn($0) }).from("import_runs").where("id", .equal, id).first() else { return nil }
        let credentials = try row.decode(column: "token", as: String?.self).flatMap { try? JSONCoding.decode(Credentials.self, $0) }
        return (try view(row), try row.decode(column: "cursor", as: String?.self), credentials)
    }

    static func all(on sql: any SQLDatabase) async throws -> [ImportRunView] {
        try await sql.select().columns(columns.map { SQLColumn($0) }).from("import_runs").orderBy("started_at", .descending).limit(200).all().map(view)
    }

    /// Adds one slice's counts and moves the cursor past it.
    static func advance(_ id: UUID, by slice: ImportSlice, total: Int, on sql: any SQLDatabase) async throws {
        let current = try await find(id, on: sql)?.view.notes ?? []
        let notes = Array(Set(current + slice.notes)).sorted().prefix(500)
        try await sql.raw("""
            UPDATE import_runs SET status = 'running', total = \(bind: total), imported = imported + \(bind: slice.imported),
            skipped = skipped + \(bind: slice.skipped), failed = failed + \(bind: slice.failed), entries = entries + \(bind: slice.entries),
            attachments = attachments + \(bind: slice.attachments), cursor = \(bind: slice.cursor), notes = \(bind: try JSONCoding.string(Array(notes)))
            WHERE id = \(bind: id)
            """).run()
    }

    /// Ends a run, forgetting the other system's credentials.
    static func finish(_ id: UUID, error: String?, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.update("import_runs").set("status", to: error == nil ? "done" : "failed").set("last_error", to: SQLBind(error))
            .set("token", to: SQLLiteral.null).set("finished_at", to: now).where("id", .equal, id).run()
    }

    private static func view(_ row: any SQLRow) throws -> ImportRunView {
        let total = try row.decode(column: "total", as: Int.self)
        let (imported, skipped, failed) = (try row.decode(column: "imported", as: Int.self), try row.decode(column: "skipped", as: Int.self),
                                           try row.decode(column: "failed", as: Int.self))
        let status = try row.decode(column: "status", as: String.self)
        return ImportRunView(
            id: try row.decode(column: "id", as: UUID.self), source: try row.decode(column: "source", as: String.self),
            baseURL: try row.decode(column: "base_url", as: String.self), status: status, total: total, imported: imported, skipped: skipped,
            failed: failed, entries: try row.decode(column: "entries", as: Int.self), attachments: try row.decode(column: "attachments", as: Int.self),
            progress: status == "done" ? 100 : (total == 0 ? 0 : min(100, (imported + skipped + failed) * 100 / total)),
            notes: (try? JSONCoding.decode([String].self, try row.decode(column: "notes", as: String.self))) ?? [],
            lastError: try row.decode(column: "last_error", as: String?.self), startedAt: try row.decode(column: "started_at", as: Date.self),
            finishedAt: try row.decode(column: "finished_at", as: Date?.self))
    }
}

/// What one slice of an import did.
struct ImportSlice: Sendable {
    var imported = 0
    var skipped = 0
    var failed = 0
    var entries = 0
    var attachments = 0
    var notes: [String] = []
    var cursor: String?
}
