import Foundation
import SQLKit

/// One table an export holds, with its columns.
struct ExportTable: Sendable, Equatable {
    let name: String
    /// Column names in the table's own order.
    let columns: [String]
    /// Columns whose values are stored as floating-point numbers (SQLite's REAL affinity).
    let realColumns: Set<String>
    /// The primary key's columns on PostgreSQL, which order its rows (SQLite orders by rowid).
    var key: [String] = []
}

/// Finds every table in the live database and orders them so each row's references come before it.
///
/// The list is read from the database's own catalogue rather than kept by hand, so a table added by a
/// later migration is exported without anyone remembering to list it.
enum ExportCatalog {
    /// Tables whose rows are rebuilt from others (the search index; the case tallies, counted again by triggers as
    /// the cases load) or are short-lived per-process state (sign-in sessions, presence, sign-in failures); an export
    /// leaves them out on purpose. Stored files travel as files (`blob` lines), whichever store holds them, never as
    /// the database store's rows.
    static func isExcluded(_ table: String) -> Bool {
        table.hasPrefix("_fluent") || table.hasPrefix("sqlite_") || table.hasPrefix("case_search")
            || ["case_presence", "case_tallies", "login_failures", "web_sessions", "blobs", "blob_chunks"].contains(table)
    }

    static func tables(on sql: any SQLDatabase) async throws -> [ExportTable] {
        let isSQLite = sql.dialect.name == "sqlite"
        let names = try await (isSQLite
            ? sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all()
            : sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()").all())
            .map { try $0.decode(column: "name", as: String.self) }
            .filter { !isExcluded($0) }
        var tables: [String: ExportTable] = [:]
        var references: [String: Set<String>] = [:]
        for name in names {
            if isSQLite {
                let info = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: name)) ORDER BY cid").all()
                let columns = try info.map { try $0.decode(column: "name", as: String.self) }
                let real = try info.filter { row in
                    let type = try row.decode(column: "type", as: String.self).uppercased()
                    return !type.contains("INT") && (type.contains("REAL") || type.contains("FLOA") || type.contains("DOUB"))
                }.map { try $0.decode(column: "name", as: String.self) }
                tables[name] = ExportTable(name: name, columns: columns, realColumns: Set(real))
                references[name] = Set(try await sql.raw("SELECT \"table\" AS target FROM pragma_foreign_key_list(\(bind: name))").all()
                    .map { try $0.decode(column: "target", as: String.self) })
            } else {
                let relation = SQLQueryString("(quote_ident(current_schema()) || '.' || quote_ident(\(bind: name)))::regclass")
                let columns = try await sql.raw("""
                    SELECT attname AS name FROM pg_attribute WHERE attrelid = \(relation) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
                    """).all().map { try $0.decode(column: "name", as: String.self) }
                let key = try await sql.raw("""
                    SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                    WHERE i.indrelid = \(relation) AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
                    """).all().map { try $0.decode(column: "name", as: String.self) }
                tables[name] = ExportTable(name: name, columns: columns, realColumns: [], key: key)
            }
        }
        if !isSQLite {
            for row in try await sql.raw("""
                SELECT c.relname AS source, r.relname AS target FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE k.contype = 'f' AND n.nspname = current_schema()
                """).all() {
                references[try row.decode(column: "source", as: String.self), default: []]
                    .insert(try row.decode(column: "target", as: String.self))
            }
        }
        return dependencyOrder(Array(tables.keys), references: references).compactMap { tables[$0] }
    }

    /// Orders `tables` so that every table comes after the tables it refers to, alphabetically among equals.
    /// A table's references to itself are ignored (its rows keep their stored order); a cycle, which the schema
    /// does not have, would be broken at its alphabetically first table.
    static func dependencyOrder(_ tables: [String], references: [String: Set<String>]) -> [String] {
        let known = Set(tables)
        var waiting = Dictionary(uniqueKeysWithValues: tables.map { table in
            (table, (references[table] ?? []).filter { $0 != table && known.contains($0) })
        })
        var ordered: [String] = []
        while !waiting.isEmpty {
            let ready = waiting.filter { $0.value.isEmpty }.keys.sorted()
            let next = ready.isEmpty ? [waiting.keys.sorted()[0]] : ready
            for table in next {
                ordered.append(table)
                waiting[table] = nil
            }
            for key in waiting.keys { waiting[key]?.subtract(next) }
        }
        return ordered
    }
}
