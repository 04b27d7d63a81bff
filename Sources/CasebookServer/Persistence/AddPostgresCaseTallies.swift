import Fluent
import SQLKit

/// Keeps `case_tallies` on PostgreSQL too, so the queue counts and the dashboard read a few dozen rows at a million cases
/// instead of counting every open case.
///
/// SQLite's triggers add to one row per (status, unassigned, group): with one writer that costs nothing, but on
/// PostgreSQL every concurrent write would queue on those few rows. Here the triggers only append: each statement that
/// writes cases adds a row per key it changed, with +n or -n (statement-level, so a bulk import of 5,000 cases adds a
/// handful of rows, not 5,000). Readers sum by key, and `CaseTallyRepository.compact` folds the rows together now
/// and then in one statement that any instance may run at any time.
struct AddPostgresCaseTallies: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for statement in Self.statements { try await sql.raw(SQLQueryString(statement)).run() }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        for name in ["case_tallies_insert", "case_tallies_delete", "case_tallies_update"] {
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name) ON cases").run()
        }
        for name in ["case_tallies_added", "case_tallies_removed", "case_tallies_changed"] {
            try await sql.raw("DROP FUNCTION IF EXISTS \(ident: name)()").run()
        }
        try await sql.raw("DROP TABLE IF EXISTS case_tallies").run()
    }

    /// A case counts under (status, 1 when nobody holds it, its group or '' for none), as on SQLite.
    static let key = "status, CASE WHEN assignee_id IS NULL THEN 1 ELSE 0 END, COALESCE(group_id::text, '')"

    static let statements = [
        "CREATE TABLE IF NOT EXISTS case_tallies (status TEXT NOT NULL, unassigned INTEGER NOT NULL, group_key TEXT NOT NULL, cases INTEGER NOT NULL)",
        "DELETE FROM case_tallies",
        "INSERT INTO case_tallies (status, unassigned, group_key, cases) SELECT \(key), COUNT(*) FROM cases GROUP BY 1, 2, 3",
        """
        CREATE OR REPLACE FUNCTION case_tallies_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO case_tallies (status, unassigned, group_key, cases) SELECT \(key), COUNT(*) FROM added GROUP BY 1, 2, 3;
            RETURN NULL;
        END $$
        """,
        """
        CREATE OR REPLACE FUNCTION case_tallies_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO case_tallies (status, unassigned, group_key, cases) SELECT \(key), -COUNT(*) FROM removed GROUP BY 1, 2, 3;
            RETURN NULL;
        END $$
        """,
        // Most updates leave the key as it was (a reply, a new subject): their -1 and +1 cancel and nothing is added.
        """
        CREATE OR REPLACE FUNCTION case_tallies_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO case_tallies (status, unassigned, group_key, cases)
            SELECT status, unassigned, group_key, SUM(n) FROM (
                SELECT \(key), -1 FROM before
                UNION ALL SELECT \(key), 1 FROM after
            ) AS changes (status, unassigned, group_key, n) GROUP BY 1, 2, 3 HAVING SUM(n) <> 0;
            RETURN NULL;
        END $$
        """,
        "DROP TRIGGER IF EXISTS case_tallies_insert ON cases",
        "CREATE TRIGGER case_tallies_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_added()",
        "DROP TRIGGER IF EXISTS case_tallies_delete ON cases",
        "CREATE TRIGGER case_tallies_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_removed()",
        "DROP TRIGGER IF EXISTS case_tallies_update ON cases",
        """
        CREATE TRIGGER case_tallies_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS before NEW TABLE AS after
        FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_changed()
        """,
    ]
}
