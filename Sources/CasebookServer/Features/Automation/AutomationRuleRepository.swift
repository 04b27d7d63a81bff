import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Every read and write of rules and of the record of which time rule fired on which case; conditions and actions are
/// stored as JSON.
enum AutomationRuleRepository {
    static let columns = ["id", "name", "trigger", "conditions", "any_conditions", "actions", "position", "active", "updated_at"]

    /// Active rules in the order they run.
    static func loadActive(on sql: any SQLDatabase) async throws -> [AutomationRule] {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("automation_rules").where("active", .equal, true)
            .orderBy("position").orderBy("name").all().map { try view($0).rule() }
    }

    /// Every rule, in the order they run.
    static func all(on sql: any SQLDatabase) async throws -> [AutomationRuleView] {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("automation_rules")
            .orderBy("position").orderBy("name").all().map(view)
    }

    static func find(_ id: UUID, on sql: any SQLDatabase) async throws -> AutomationRuleView? {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("automation_rules").where("id", .equal, id).first().map(view)
    }

    /// Whether another rule already has this name.
    static func nameTaken(_ name: String, byOtherThan id: UUID, on sql: any SQLDatabase) async throws -> Bool {
        try await sql.select().column("id").from("automation_rules").where("name", .equal, name).where("id", .notEqual, id).first() != nil
    }

    /// The newest open cases a dry run examines.
    static func openCaseIDs(limit: Int, on sql: any SQLDatabase) async throws -> [UUID] {
        try await sql.select().column("id").from("cases")
            .where("status", .notIn, [CaseStatus.solved.rawValue, CaseStatus.closed.rawValue])
            .orderBy("created_at", .descending).limit(limit).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// "rule/case" for every time rule that already fired on one of these cases.
    static func firings(of caseIDs: [UUID], on sql: any SQLDatabase) async throws -> Set<String> {
        var done = Set<String>()
        for row in try await sql.select().columns("rule_id", "case_id").from("rule_firings").where("case_id", .in, caseIDs).all() {
            done.insert("\(try row.decode(column: "rule_id", as: UUID.self))/\(try row.decode(column: "case_id", as: UUID.self))")
        }
        return done
    }

    static func recordFiring(rule: UUID, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: "rule_firings").columns("rule_id", "case_id", "fired_at").values(SQLBind(rule), SQLBind(caseID), SQLBind(now)).run()
    }

    static func view(_ row: any SQLRow) throws -> AutomationRuleView {
        let decoder = JSONDecoder()
        return AutomationRuleView(
            id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
            trigger: RuleTrigger(rawValue: try row.decode(column: "trigger", as: String.self)) ?? .caseUpdated,
            conditions: try decoder.decode([RuleCondition].self, from: Data(try row.decode(column: "conditions", as: String.self).utf8)),
            anyConditions: try decoder.decode([RuleCondition].self, from: Data(try row.decode(column: "any_conditions", as: String.self).utf8)),
            actions: try decoder.decode([RuleAction].self, from: Data(try row.decode(column: "actions", as: String.self).utf8)),
            position: try row.decode(column: "position", as: Int.self), active: try row.decode(column: "active", as: Bool.self),
            updatedAt: try row.decode(column: "updated_at", as: Date.self))
    }

    static func save(_ view: AutomationRuleView, creating: Bool, on sql: any SQLDatabase) async throws {
        let conditions = try CalendarCodec.json(view.conditions)
        let any = try CalendarCodec.json(view.anyConditions)
        let actions = try CalendarCodec.json(view.actions)
        if creating {
            try await sql.insert(into: "automation_rules")
                .columns("id", "name", "trigger", "conditions", "any_conditions", "actions", "position", "active", "created_at", "updated_at")
                .values(SQLBind(view.id), SQLBind(view.name), SQLBind(view.trigger.rawValue), SQLBind(conditions), SQLBind(any),
                        SQLBind(actions), SQLBind(view.position), SQLBind(view.active), SQLBind(view.updatedAt), SQLBind(view.updatedAt))
                .run()
        } else {
            try await sql.update("automation_rules").set("name", to: view.name).set("trigger", to: view.trigger.rawValue)
                .set("conditions", to: conditions).set("any_conditions", to: any).set("actions", to: actions)
                .set("position", to: view.position).set("active", to: view.active).set("updated_at", to: view.updatedAt)
                .where("id", .equal, view.id).run()
        }
    }
}

/// A rule as the API shows and accepts it.
struct AutomationRuleView: Content {
    var id: UUID
    var name: String
    var trigger: RuleTrigger
    var conditions: [RuleCondition]
    var anyConditions: [RuleCondition]
    var actions: [RuleAction]
    var position: Int
    var active: Bool
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, trigger, conditions, actions, position, active
        case anyConditions = "any_conditions", updatedAt = "updated_at"
    }

    /// The core rule; throws when the combination is not allowed.
    func rule() throws -> AutomationRule {
        try AutomationRule(id: id, name: name, trigger: trigger, conditions: conditions, anyConditions: anyConditions,
                           actions: actions, position: position)
    }
}
