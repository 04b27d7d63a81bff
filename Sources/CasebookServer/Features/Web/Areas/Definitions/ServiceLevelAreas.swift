import CasebookCore
import Vapor

/// Service-level policies, business calendars (with holiday import) and automation rules with their dry run.
enum ServiceLevelAreas {
    static let all: [Area] = [policies, calendars, automations]

    /// One number field per priority and target, so targets are typed as minutes, not as JSON.
    static var targetFields: [AreaField] {
        Priority.allCases.reversed().flatMap { priority in
            [("first_response_minutes", "first response"), ("next_update_minutes", "next update"), ("resolution_minutes", "resolution")].map {
                AreaField("targets.\(priority.rawValue).\($0.0)", "\(priority.rawValue.capitalized): \($0.1) (minutes)", .number)
            }
        }
    }

    static var policyFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         .choice("kind", "Kind", ["formal", "informal"], required: true, help: "Formal targets are contractual; informal ones are the team's own aim."),
         .pick("calendar_id", "Business calendar", from: "/api/v1/calendars", required: true, help: "Clocks run only in this calendar's working hours."),
         AreaField("rank", "Rank", .number, help: "When several policies match a case, the lowest rank wins."),
         AreaField("warn_at_percent", "Warn at (% of target used)", .number),
         AreaField("conditions.priorities", "Applies to priorities", .lines, help: "One per line: low, normal, high, urgent. Empty: every priority."),
         AreaField("conditions.contract_levels", "Applies to contract levels", .lines, help: "One per line (basic, standard, premium). Empty: every level."),
         AreaField("conditions.case_types", "Applies to case types", .lines, help: "One per line (question, incident, problem, task). Empty: every type."),
        ] + targetFields + [AreaField("active", "Active", .checkbox)]
    }

    static let policies = Area(
        section: .admin, name: "sla-policies", title: "Service-level policies",
        intro: "Targets for first response, updates and resolution per priority, on a business calendar.",
        access: .readServiceLevels, write: .manageServiceLevels, api: "/api/v1/sla-policies",
        columns: [AreaColumn("Policy", "name", link: .entry), AreaColumn("Kind", "kind"), AreaColumn("Calendar", "calendar_id"),
                  AreaColumn("Rank", "rank"), AreaColumn("Active", "active")],
        create: AreaForm(title: "Add a policy", submit: "Add policy", fields: policyFields),
        edit: AreaForm(title: "Change this policy", submit: "Save policy", method: .PATCH, fields: policyFields,
                       intro: "Open cases are measured against the new targets from now on."),
        commands: [AreaAction(name: "recompute", form: AreaForm(title: "Measure every open case again", submit: "Recompute clocks",
                                                              path: "/api/v1/sla/recompute", fields: [],
                                                              intro: "Runs in the background; changes to policies, calendars and contracts already trigger it."),
                              done: "Recomputing in the background.")])

    static var calendarFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         AreaField("time_zone", "Time zone", required: true, help: "An IANA zone such as Europe/Madrid or America/New_York.", placeholder: "Europe/Madrid"),
         AreaField("periods", "Working hours (JSON)", .json, required: true,
                   help: #"A list of {"weekday": "monday", "start": "09:00", "end": "17:00"}; several per day for split shifts."#,
                   placeholder: #"[{"weekday": "monday", "start": "09:00", "end": "17:00"}]"#),
         AreaField("holidays", "Holidays (JSON)", .json, help: #"A list of {"date": "2026-12-25", "name": "Christmas"}; or import an .ics file on the calendar's page."#)]
    }

    static let calendars = Area(
        section: .admin, name: "calendars", title: "Business calendars",
        intro: "Working hours and holidays: service-level clocks stop outside them.",
        access: .readServiceLevels, write: .manageServiceLevels, api: "/api/v1/calendars",
        columns: [AreaColumn("Calendar", "name", link: .entry), AreaColumn("Time zone", "time_zone"), AreaColumn("Changed", "updated_at")],
        create: AreaForm(title: "Add a calendar", submit: "Add calendar", fields: calendarFields),
        edit: AreaForm(title: "Change this calendar", submit: "Save calendar", method: .PATCH, fields: calendarFields),
        actions: [AreaAction(name: "import", form: AreaForm(
            title: "Import holidays (.ics)", submit: "Import holidays", path: "/api/v1/calendars/{id}/holidays/import",
            fields: [AreaField("ics", "Calendar file contents", .body(HTTPMediaType(type: "text", subType: "calendar")), required: true,
                               help: "Paste an iCalendar file (BEGIN:VCALENDAR … END:VCALENDAR). Every all-day event becomes a holiday; a faulty line refuses the whole file.")]),
            done: "Imported.")])

    static var ruleFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         .choice("trigger", "When", ["case_created", "case_updated", "customer_replied", "agent_replied", "time"], required: true),
         AreaField("position", "Position", .number, help: "Rules run in this order."),
         AreaField("conditions", "All of these conditions (JSON)", .json,
                   help: #"A list of {"field": "priority", "operator": "is", "value": "urgent"}; operators: is, is_not, one_of, contains, at_least, at_most."#,
                   placeholder: #"[{"field": "subject", "operator": "contains", "value": "outage"}]"#),
         AreaField("any_conditions", "Any of these conditions (JSON)", .json, help: "Same shape; at least one must hold when any are given."),
         AreaField("actions", "Actions (JSON)", .json, required: true,
                   help: #"A list of {"type": "set_priority", "value": "high"}; types: set_priority, raise_priority, set_status, assign_group, assign_person, set_tier, escalate, add_tag, remove_tag, add_internal_note, send_template, notify, review_replies (no value: every later public reply waits for a colleague's review)."#,
                   placeholder: #"[{"type": "add_tag", "value": "outage"}]"#),
         AreaField("active", "Active", .checkbox)]
    }

    static let automations = Area(
        section: .admin, name: "automations", title: "Automation and escalation rules",
        intro: "What happens by itself when a case arrives, changes, gets a reply or waits too long. Try a rule with a dry run first.",
        access: .readServiceLevels, write: .manageServiceLevels, api: "/api/v1/automations",
        columns: [AreaColumn("Rule", "name", link: .entry), AreaColumn("When", "trigger"), AreaColumn("Position", "position"),
                  AreaColumn("Active", "active"), AreaColumn("Changed", "updated_at")],
        create: AreaForm(title: "Add a rule", submit: "Add rule", fields: ruleFields),
        edit: AreaForm(title: "Change this rule", submit: "Save rule", method: .PATCH, fields: ruleFields),
        actions: [AreaAction(name: "dry-run", form: AreaForm(
            title: "Dry run", submit: "Try it on open cases", fields: [],
            intro: "Shows which open cases this rule would change and how, without changing anything."), done: "Dry run finished.", showsResult: true)],
        commands: [AreaAction(name: "try", form: AreaForm(
            title: "Try a rule before saving it", submit: "Dry run", path: "/api/v1/automations/dry-run",
            fields: ruleFields.filter { ["trigger", "conditions", "any_conditions", "actions"].contains($0.key) },
            intro: "Which open cases would this rule change, and how? Nothing is saved or changed."), done: "Dry run finished.", showsResult: true)])
}
