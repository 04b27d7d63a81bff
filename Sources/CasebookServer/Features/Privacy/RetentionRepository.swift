import CasebookCore
import Foundation
import SQLKit

/// A retention rule as stored, with what its last run did.
struct StoredRetentionRule: Sendable {
    var rule: RetentionRule
    var lastRunAt: Date?
    var lastRunResult: String?
    var createdAt: Date
    var updatedAt: Date
}

/// One legal hold: every case of an organisation, or one case, kept from retention and anonymisation.
struct LegalHold: Sendable {
    var id: UUID
    var organisationID: UUID?
    var caseID: UUID?
    var reason: String
    var createdBy: UUID?
    var createdAt: Date
}

/// The `retention_rules` and `legal_holds` tables, and the search for the cases a rule has come due for.
enum RetentionRepository {
    static func rules(on sql: any SQLDatabase) async throws -> [StoredRetentionRule] {
        try await sql.select().columns(ruleColumns).from("retention_rules").orderBy("name").all().map(decodeRule)
    }

    static func rule(_ id: UUID, on sql: any SQLDatabase) async throws -> StoredRetentionRule? {
        try await sql.select().columns(ruleColumns).from("retention_rules").where("id", .equal, id).first().map(decodeRule)
    }

    static func save(_ stored: StoredRetentionRule, on sql: any SQLDatabase) async throws {
        let r = stored.rule
        try await sql.delete(from: "retention_rules").where("id", .equal, r.id).run()
        try await sql.insert(into: "retention_rules").columns(ruleColumns)
            .values(SQLBind(r.id), SQLBind(r.name), SQLBind(r.months), SQLBind(r.action.rawValue), SQLBind(r.organisationID), SQLBind(r.active),
                    SQLBind(stored.lastRunAt), SQLBind(stored.lastRunResult), SQLBind(stored.createdAt), SQLBind(stored.updatedAt)).run()
    }

    static func deleteRule(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "retention_rules").where("id", .equal, id).run()
    }

    static func noteRun(_ id: UUID, at: Date, result: String, on sql: any SQLDatabase) async throws {
        try await sql.update("retention_rules").set("last_run_at", to: at).set("last_run_result", to: String(result.prefix(500)))
            .where("id", .equal, id).run()
    }

    static func holds(on sql: any SQLDatabase) async throws -> [LegalHold] {
        try await sql.select().columns(holdColumns).from("legal_holds").orderBy("created_at", .descending).all().map(decodeHold)
    }

    static func hold(_ id: UUID, on sql: any SQLDatabase) async throws -> LegalHold? {
        try await sql.select().columns(holdColumns).from("legal_holds").where("id", .equal, id).first().map(decodeHold)
    }

    static func insert(_ hold: LegalHold, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "legal_holds").columns(holdColumns)
            .values(SQLBind(hold.id), SQLBind(hold.organisationID), SQLBind(hold.caseID), SQLBind(hold.reason), SQLBind(hold.createdBy),
                    SQLBind(hold.createdAt)).run()
    }

    static func deleteHold(_ id: UUID, on sql: any SQLDatabase) async throws {
        try await sql.delete(from: "legal_holds").where("id", .equal, id).run()
    }

    /// Solved or closed cases the rule has come due for, oldest first (at most `limit`), how many are due in all, and
    /// how many more a legal hold keeps. Cases already anonymised are not due for anonymising again.
    static func dueCases(for rule: RetentionRule, now: Date, limit: Int, on sql: any SQLDatabase) async throws
        -> (due: [(id: UUID, number: Int)], total: Int, held: Int, linked: Int) {
        func matching(held: Bool, linked: Bool = false) -> SQLSelectBuilder {
            var select = sql.select().from(SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier("c")))
                .where(SQLColumn("status", table: "c"), .in, SQLBind.group([CaseStatus.solved.rawValue, CaseStatus.closed.rawValue]))
                .where(SQLFunction("COALESCE", args: SQLColumn("closed_at", table: "c"), SQLColumn("solved_at", table: "c")), .lessThan,
                       SQLBind(rule.cutoff(now: now)))
                .where(SQLBinaryExpression(heldExpression, .equal, SQLLiteral.numeric(held ? "1" : "0")))
            if let organisation = rule.organisationID { select = select.where(SQLColumn("organisation_id", table: "c"), .equal, SQLBind(organisation)) }
            if rule.action == .anonymise { select = select.where(SQLQueryString("c.id NOT IN (SELECT case_id FROM privacy_redactions)")) }
            if rule.action == .delete, !held { select = select.where(SQLBinaryExpression(linkedExpression, .equal, SQLLiteral.numeric(linked ? "1" : "0"))) }
            return select
        }
        func count(_ select: SQLSelectBuilder) async throws -> Int {
            try await select.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let due = try await matching(held: false).column(SQLColumn("id", table: "c")).column(SQLColumn("number", table: "c"))
            .orderBy(SQLColumn("number", table: "c")).limit(limit).all()
            .map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "number", as: Int.self)) }
        let linked = rule.action == .delete ? try await count(matching(held: false, linked: true)) : 0
        return (due, try await count(matching(held: false)), try await count(matching(held: true)), linked)
    }

    /// Whether any of these cases, or their organisations, is under a legal hold.
    static func anyHeld(_ caseIDs: [UUID], on sql: any SQLDatabase) async throws -> Bool {
        guard !caseIDs.isEmpty else { return false }
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(SQLAlias(SQLIdentifier("cases"), as: SQLIdentifier("c"))).where(SQLColumn("id", table: "c"), .in, SQLBind.group(caseIDs))
            .where(SQLBinaryExpression(heldExpression, .notEqual, SQLLiteral.numeric("0"))).first()
        return try (row?.decode(column: "n", as: Int.self) ?? 0) > 0
    }

    /// 1 when a hold names the case `c` or its organisation, else 0.
    private static let heldExpression = SQLQueryString("""
        CASE WHEN EXISTS (SELECT 1 FROM legal_holds h WHERE h.case_id = c.id OR (c.organisation_id IS NOT NULL AND h.organisation_id = c.organisation_id)) \
        THEN 1 ELSE 0 END
        """)

    /// 1 when an RCA report, repair, work order or part used refers to the case `c`: records of their own, which
    /// deleting the case would break, so a deleting rule keeps such cases.
    private static let linkedExpression = SQLQueryString("""
        CASE WHEN EXISTS (SELECT 1 FROM rca_reports x WHERE x.case_id = c.id) OR EXISTS (SELECT 1 FROM repairs x WHERE x.case_id = c.id)         OR EXISTS (SELECT 1 FROM work_orders x WHERE x.case_id = c.id) OR EXISTS (SELECT 1 FROM part_usage x WHERE x.case_id = c.id)         THEN 1 ELSE 0 END
        """)

    private static let ruleColumns = ["id", "name", "months", "action", "organisation_id", "active", "last_run_at", "last_run_result",
                                      "created_at", "updated_at"]
    private static let holdColumns = ["id", "organisation_id", "case_id", "reason", "created_by", "created_at"]

    private static func decodeRule(_ row: any SQLRow) throws -> StoredRetentionRule {
        let rule = RetentionRule(id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                                 months: try row.decode(column: "months", as: Int.self),
                                 action: RetentionAction(rawValue: try row.decode(column: "action", as: String.self)) ?? .anonymise,
                                 organisationID: try row.decode(column: "organisation_id", as: UUID?.self), active: try row.decode(column: "active", as: Bool.self))
        return StoredRetentionRule(rule: rule, lastRunAt: try row.decode(column: "last_run_at", as: Date?.self),
                                   lastRunResult: try row.decode(column: "last_run_result", as: String?.self),
                                   createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    private static func decodeHold(_ row: any SQLRow) throws -> LegalHold {
        LegalHold(id: try row.decode(column: "id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
                  caseID: try row.decode(column: "case_id", as: UUID?.self), reason: try row.decode(column: "reason", as: String.self),
                  createdBy: try row.decode(column: "created_by", as: UUID?.self), createdAt: try row.decode(column: "created_at", as: Date.self))
    }
}
