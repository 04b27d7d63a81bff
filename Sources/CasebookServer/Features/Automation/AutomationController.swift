import CasebookCore
import SQLKit
import Vapor

/// `/automations`: event and time rules (automations and escalations) as data, with a dry run.
struct AutomationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let rules = routes.grouped("automations")
        rules.get(use: list)
        rules.post(use: create)
        rules.post("dry-run", use: dryRunDraft)
        rules.get(":id", use: show)
        rules.patch(":id", use: update)
        rules.post(":id", "dry-run", use: dryRunSaved)
    }

    /// Body of create, update and draft dry runs.
    struct RuleWrite: Decodable, Sendable {
        var name: String?
        var trigger: RuleTrigger?
        var conditions: [RuleCondition]?
        var anyConditions: [RuleCondition]?
        var actions: [RuleAction]?
        var position: Int?
        var active: Bool?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, trigger, conditions, actions, position, active
            case anyConditions = "any_conditions"
        }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            trigger = try c.decodeIfPresent(RuleTrigger.self, forKey: .trigger)
            conditions = try c.decodeIfPresent([RuleCondition].self, forKey: .conditions)
            anyConditions = try c.decodeIfPresent([RuleCondition].self, forKey: .anyConditions)
            actions = try c.decodeIfPresent([RuleAction].self, forKey: .actions)
            position = try c.decodeIfPresent(Int.self, forKey: .position)
            active = try c.decodeIfPresent(Bool.self, forKey: .active)
        }

        func applied(to view: AutomationRuleView) throws -> AutomationRuleView {
            var next = view
            if let name { next.name = try Validate.name(name, field: "name") }
            if let trigger { next.trigger = trigger }
            if let conditions { next.conditions = conditions }
            if let anyConditions { next.anyConditions = anyConditions }
            if let actions { next.actions = actions }
            if let position {
                guard (0...100_000).contains(position) else { throw Problem.invalid("position", "must be from 0 to 100000") }
                next.position = position
            }
            if let active { next.active = active }
            guard next.conditions.count + next.anyConditions.count <= 50, next.actions.count <= 20 else {
                throw Problem.invalid("rule", "may have at most 50 conditions and 20 actions")
            }
            for action in next.actions where action.kind == .sendTemplate {
                guard MailTemplates.customerTemplates.contains(action.value ?? "") else {
                    throw Problem.invalid("actions", "send_template needs one of \(MailTemplates.customerTemplates.joined(separator: ", "))")
                }
            }
            _ = try next.rule()
            return next
        }
    }

    @Sendable func list(req: Request) async throws -> [AutomationRuleView] {
        try req.authorize(.readServiceLevels)
        return try await AutomationRuleRepository.all(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> AutomationRuleView {
        try req.authorize(.readServiceLevels)
        return try await Self.find(req, on: req.store.sql)
    }

    @Sendable func create(req: Request) async throws -> Response {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(RuleWrite.self)
        guard input.name != nil else { throw Problem.invalid("name", "is required") }
        guard input.trigger != nil else { throw Problem.invalid("trigger", "is required") }
        guard input.actions != nil else { throw Problem.invalid("actions", "is required") }
        let now = req.now
        let draft = AutomationRuleView(id: RecordID.make(), name: "", trigger: .caseCreated, conditions: [], anyConditions: [], actions: [],
                                       position: 100, active: true, updatedAt: now)
        let view = try input.applied(to: draft)
        try await req.store.write { db in
            let sql = req.store.sql(db)
            try await Self.checkName(view, on: sql)
            try await Self.checkNamedRecords(view, on: sql)
            try await AutomationRuleRepository.save(view, creating: true, on: sql)
        }
        req.casebook.automations.invalidate()
        return try await view.encodeResponse(status: .created, for: req)
    }

    @Sendable func update(req: Request) async throws -> AutomationRuleView {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(RuleWrite.self)
        let now = req.now
        let view = try await req.store.write { db -> AutomationRuleView in
            let sql = req.store.sql(db)
            var view = try input.applied(to: try await Self.find(req, on: sql))
            view.updatedAt = now
            try await Self.checkName(view, on: sql)
            // Only new actions are checked: a rule whose group was retired since can still be renamed or switched off.
            if input.actions != nil { try await Self.checkNamedRecords(view, on: sql) }
            try await AutomationRuleRepository.save(view, creating: false, on: sql)
            return view
        }
        req.casebook.automations.invalidate()
        return view
    }

    /// What a rule would do to one case.
    struct DryRunItem: Content {
        var reference: String
        var reason: String
        var changes: [FieldChange]
        var escalateToTier: Int?
        /// Why an escalation the rule asks for would not happen.
        var escalationHeld: String?
        var notes: [String]
        var notifications: [String]
        /// Whether later public replies on the case would wait for review.
        var reviewReplies: Bool
        var failure: String?

        enum CodingKeys: String, CodingKey {
            case reference, reason, changes, notes, notifications, failure
            case escalateToTier = "escalate_to_tier", escalationHeld = "escalation_held", reviewReplies = "review_replies"
        }
    }

    /// The dry run's answer: how many open cases were looked at, and what would change on those that match.
    struct DryRunResult: Content {
        var examined: Int
        var matched: Int
        var items: [DryRunItem]
    }

    @Sendable func dryRunDraft(req: Request) async throws -> DryRunResult {
        try req.authorize(.manageServiceLevels)
        let input = try req.content.decode(RuleWrite.self)
        let draft = AutomationRuleView(id: RecordID.make(), name: "Draft", trigger: input.trigger ?? .time, conditions: [], anyConditions: [],
                                       actions: [], position: 0, active: true, updatedAt: req.now)
        return try await Self.dryRun(try input.applied(to: draft).rule(), req: req)
    }

    @Sendable func dryRunSaved(req: Request) async throws -> DryRunResult {
        try req.authorize(.manageServiceLevels)
        return try await Self.dryRun(try await Self.find(req, on: req.store.sql).rule(), req: req)
    }

    /// Evaluates `rule` against open cases (newest 5,000) as if its trigger happened now, writing nothing.
    static func dryRun(_ rule: AutomationRule, req: Request) async throws -> DryRunResult {
        let sql = req.store.sql
        let ids = try await AutomationRuleRepository.openCaseIDs(limit: 5000, on: sql)
        let prefix = req.casebook.configuration.referencePrefix
        var items: [DryRunItem] = []
        var matched = 0
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let results = try await RuleApplier(services: req.casebook).run(Array(ids[chunk..<min(chunk + 500, ids.count)]), trigger: rule.trigger,
                                                                            rules: [rule], on: sql, now: req.now, apply: false)
            matched += results.count
            for result in results where items.count < 200 {
                guard let plan = result.plans.first else { continue }
                items.append(DryRunItem(reference: Reference(prefix: prefix, number: result.number).description, reason: plan.reason,
                                        changes: result.changes.first ?? [], escalateToTier: plan.escalateToTier,
                                        escalationHeld: plan.escalationHeld, notes: plan.notes,
                                        notifications: plan.notifications, reviewReplies: plan.reviewReplies, failure: result.failures.first))
            }
        }
        return DryRunResult(examined: ids.count, matched: matched, items: items)
    }

    static func checkName(_ view: AutomationRuleView, on sql: any SQLDatabase) async throws {
        if try await AutomationRuleRepository.nameTaken(view.name, byOtherThan: view.id, on: sql) {
            throw Problem.conflict("A rule named '\(view.name)' already exists.")
        }
    }

    /// The groups and people a rule's actions name exist and can take cases now, so a typo is refused when saved
    /// rather than found later as a failure on every case the rule matches.
    static func checkNamedRecords(_ view: AutomationRuleView, on sql: any SQLDatabase) async throws {
        for action in view.actions {
            guard let value = action.value else { continue }
            switch action.kind {
            case .assignGroup: _ = try await RuleApplier.group(named: value, on: sql)
            case .assignPerson: _ = try await RuleApplier.staff(value, on: sql)
            default: break
            }
        }
    }

    static func find(_ req: Request, on sql: any SQLDatabase) async throws -> AutomationRuleView {
        guard let id = req.parameters.get("id", as: UUID.self), let rule = try await AutomationRuleRepository.find(id, on: sql) else {
            throw Problem.notFound("The rule")
        }
        return rule
    }
}
