import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Reads and writes rule rows; conditions and actions are stored as JSON.
enum AutomationRuleRows {
    static let columns = ["id", "name", "trigger", "conditions", "any_conditions", "actions", "position", "active", "updated_at"]

    /// Active rules in the order they run.
    static func loadActive(on sql: any SQLDatabase) async throws -> [AutomationRule] {
        try await sql.select().columns(columns.map { SQLIdentifier($0) }).from("automation_rules").where("active", .equal, true)
            .orderBy("position").orderBy("name").all().map { try view($0).rule() }
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
