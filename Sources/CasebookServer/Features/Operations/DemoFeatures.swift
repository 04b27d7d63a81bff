import CasebookCore
import Foundation
import Vapor

/// The rest of the demo, loaded through the API as an admin would set it up, so a newcomer sees every feature with
/// something in it: service levels on calendars, contracts, rules, knowledge, intake flows, canned responses, custom
/// fields, a problem with linked cases and its root-cause report, assets with a plan and work orders, parts, vendors,
/// an alert that opened an incident, and a logged call.
enum DemoFeatures {
    static func load(_ app: Application, adminEmail: String) async throws {
        let token = try await AdminOperations.issueToken(app, email: adminEmail, name: "demo loader")
        let api = InProcessAPI(application: app, token: token)
        let today = ReportRollup.utc.localDay(of: app.casebook.clock())
        let organisations = try await api.must(.GET, "/api/v1/organisations").items
        let products = try await api.must(.GET, "/api/v1/products").items
        let categories = try await api.must(.GET, "/api/v1/categories").items
        let cases = try await api.must(.GET, "/api/v1/cases", query: ["limit": "100", "status": "open"])["items"]?.items ?? []

        let policies = try await serviceLevels(api, organisations: organisations, today: today)
        _ = policies
        try await rules(api)
        try await knowledge(api, products: products)
        try await intakeAndReplies(api, categories: categories)
        try await problem(api, products: products, cases: cases)
        try await equipment(api, organisations: organisations, products: products, today: today)
        if let first = cases.first?["reference"]?.string {
            try await api.must(.POST, "/api/v1/cases/\(first)/calls", ["direction": "inbound", "number": "+34 955 010 203", "duration_seconds": 420,
                                                                        "notes": "Customer called about the nightly restarts; walked through moving the log rotation."])
        }
        try await heldReply(api, organisations: organisations)
        // Cases opened before the policies existed get their clocks now.
        try await api.must(.POST, "/api/v1/sla/recompute")
        try await revoke(api, token: token)
    }

    /// A Spanish reply by the admin, who writes English: it waits in the review queue for Eva, who writes Spanish.
    private static func heldReply(_ api: InProcessAPI, organisations: [PageJSON]) async throws {
        guard let sevilla = organisations.first(where: { $0["domain"]?.string == "hcsevilla.es" })?["id"]?.string,
              let reference = try await api.must(.GET, "/api/v1/cases", query: ["organisation_id": sevilla, "limit": "1"])["items"]?.items.first?["reference"]?.string
        else { return }
        try await api.must(.POST, "/api/v1/cases/\(reference)/messages", [
            "text": "Hola, hemos revisado el registro del controlador y el reinicio nocturno se debe a la rotación de los registros. "
                + "Lo hemos movido a las 04:00; ¿nos puede confirmar mañana si el equipo sigue funcionando?"])
    }

    private static func serviceLevels(_ api: InProcessAPI, organisations: [PageJSON], today: LocalDate) async throws -> [String] {
        let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]
        let office = try await api.must(.POST, "/api/v1/calendars", [
            "name": "Madrid office", "time_zone": "Europe/Madrid",
            "periods": weekdays.map { ["weekday": $0, "start": "09:00", "end": "18:00"] },
            "holidays": [["date": "\(today.components.year)-12-08", "name": "Inmaculada Concepción"], ["date": "\(today.components.year)-12-25", "name": "Navidad"]]])
        let always = try await api.must(.POST, "/api/v1/calendars", [
            "name": "Around the clock", "time_zone": "UTC",
            "periods": (weekdays + ["saturday", "sunday"]).map { ["weekday": $0, "start": "00:00", "end": "24:00"] }])
        func targets(_ minutes: [Int]) -> [String: Any] {
            ["first_response_minutes": minutes[0], "next_update_minutes": minutes[1], "resolution_minutes": minutes[2]]
        }
        let premium = try await api.must(.POST, "/api/v1/sla-policies", [
            "name": "Premium 24×7", "kind": "formal", "calendar_id": always["id"]?.string ?? "", "rank": 1, "warn_at_percent": 75, "active": true,
            "conditions": ["contract_levels": ["premium"]],
            "targets": ["urgent": targets([30, 60, 240]), "high": targets([60, 120, 480]), "normal": targets([240, 480, 2880]), "low": targets([480, 1440, 7200])]])
        let standard = try await api.must(.POST, "/api/v1/sla-policies", [
            "name": "Standard office hours", "kind": "formal", "calendar_id": office["id"]?.string ?? "", "rank": 2, "warn_at_percent": 80, "active": true,
            "conditions": ["contract_levels": ["standard", "basic"]],
            "targets": ["urgent": targets([60, 240, 960]), "high": targets([120, 480, 1920]), "normal": targets([480, 960, 4800]), "low": targets([960, 2880, 9600])]])
        for (index, organisation) in organisations.enumerated() {
            guard let id = organisation["id"]?.string else { continue }
            let premiumLevel = index % 2 == 0
            try await api.must(.POST, "/api/v1/contracts", [
                "organisation_id": id, "name": premiumLevel ? "Premium support" : "Standard support", "level": premiumLevel ? "premium" : "standard",
                "starts_on": today.adding(days: -200).description, "ends_on": today.adding(days: 30 + index * 60).description,
                "sla_policy_id": (premiumLevel ? premium : standard)["id"]?.string ?? ""])
        }
        return [premium["id"]?.string ?? "", standard["id"]?.string ?? ""]
    }

    private static func rules(_ api: InProcessAPI) async throws {
        try await api.must(.POST, "/api/v1/automations", [
            "name": "Outages are urgent", "trigger": "case_created", "active": true, "position": 1,
            "conditions": [["field": "subject", "operator": "contains", "value": "outage"]],
            "actions": [["type": "set_priority", "value": "urgent"], ["type": "add_tag", "value": "outage"]]])
        try await api.must(.POST, "/api/v1/automations", [
            "name": "Three quarters of the target used: tell the group", "trigger": "time", "active": true, "position": 2,
            "conditions": [["field": "sla_percent_used", "operator": "at_least", "value": 75]],
            "actions": [["type": "notify", "value": "group"], ["type": "add_internal_note", "value": "Three quarters of the service-level target used."]]])
        try await api.must(.POST, "/api/v1/automations", [
            "name": "Breached urgent cases escalate", "trigger": "time", "active": true, "position": 3,
            "conditions": [["field": "sla_state", "operator": "is", "value": "breached"], ["field": "priority", "operator": "one_of", "value": ["high", "urgent"]]],
            "actions": [["type": "escalate"], ["type": "notify", "value": "account_manager"]]])
    }

    private static func knowledge(_ api: InProcessAPI, products: [PageJSON]) async throws {
        let atlas = products.first?["id"]?.string
        var written: [String: String] = [:]
        for article in DemoText.articles {
            var body: [String: Any] = ["title": article.title, "body": article.body, "status": article.published ? "published" : "draft",
                                       "audience": article.staffOnly ? "internal" : "public", "language": article.language]
            if let atlas { body["product_id"] = atlas }
            if let original = article.translates.flatMap({ written[$0] }) { body["translation_of"] = original }
            written[article.title] = try await api.must(.POST, "/api/v1/knowledge/articles", body)["id"]?.string
        }
    }

    private static func intakeAndReplies(_ api: InProcessAPI, categories: [PageJSON]) async throws {
        if let hardware = categories.first(where: { $0["name"]?.string == "Hardware fault" })?["id"]?.string {
            try await api.must(.PUT, "/api/v1/categories/\(hardware)/intake", ["questions": [
                ["key": "company", "label": "Company", "why": "So we apply your contract.", "kind": "text", "required": true, "prefill": "organisation"],
                ["key": "version", "label": "Firmware version", "why": "Fixes differ between versions.", "kind": "product_version", "required": true],
                ["key": "shows_error", "label": "Does the unit show an error?", "why": "An error code points to the failing part.", "kind": "yes_no", "required": true],
                ["key": "error_code", "label": "Error code", "why": "Each code names one part, so the engineer brings the right spare.", "kind": "text",
                 "required": true, "condition": ["question": "shows_error", "equals": ["yes"]]],
                ["key": "tried", "label": "What have you tried already?", "why": "So we never ask you to do it again.", "kind": "text", "already_tried": true],
            ]])
        }
        for (title, language, text) in DemoText.canned {
            try await api.must(.POST, "/api/v1/canned-responses", ["title": title, "language": language, "body": text])
        }
        try await api.must(.POST, "/api/v1/custom-fields", ["key": "site", "label": "Site", "kind": "choice", "choices": ["Head office", "Warehouse", "Remote"]])
        try await api.must(.POST, "/api/v1/custom-fields", ["key": "purchase_order", "label": "Purchase order", "kind": "text"])
    }

    private static func problem(_ api: InProcessAPI, products: [PageJSON], cases: [PageJSON]) async throws {
        let rebooting = cases.filter { $0["subject"]?.string == "Controller reboots every night at 02:00" }.compactMap { $0["reference"]?.string }
        let linked = Array((rebooting.isEmpty ? cases.compactMap { $0["reference"]?.string } : rebooting).prefix(4))
        let atlas = products.first
        var body: [String: Any] = ["title": "Nightly log rotation restarts Atlas controllers", "status": "known_error", "cases": linked,
                                   "root_cause": "The watchdog fires while the log rotation holds the configuration lock for more than 30 s.",
                                   "workaround": "Move the log rotation to 04:00 in Settings > Maintenance."]
        if let id = atlas?["id"]?.string { body["product_id"] = id }
        if let fix = atlas?["versions"]?.items.last?["id"]?.string { body["fix_version_id"] = fix }
        let problem = try await api.must(.POST, "/api/v1/problems", body)
        guard let problemID = problem["id"]?.string else { return }
        try await translations(api, problemID: problemID)
        let report = try await api.must(.POST, "/api/v1/rca-reports", ["title": "Nightly controller restarts", "problem_id": problemID])
        guard let reportID = report["id"]?.string else { return }
        let document: [String: Any] = [
            "summary": "Controllers on 4.2 restarted every night during log rotation.",
            "root_cause": "A lock held too long during log rotation made the watchdog restart the controller.",
            "contributing_factors": ["Large log volumes at busy sites", "No soak test across the rotation window"],
            "action_items": [["text": "Release 5.0.0 with a shorter lock", "due_on": "2027-01-15"], ["text": "Add a nightly soak test", "done": false]]]
        try await api.must(.PATCH, "/api/v1/rca-reports/\(reportID)", ["customer": document, "internal": document])
        try await api.must(.POST, "/api/v1/rca-reports/\(reportID)/submit")
    }

    /// Part of what Spanish customers read, translated (see DemoText.spanish).
    private static func translations(_ api: InProcessAPI, problemID: String) async throws {
        let categories = try await api.must(.GET, "/api/v1/categories").items
        guard let hardware = categories.first(where: { $0["name"]?.string == "Hardware fault" })?["id"]?.string else { return }
        for entry in DemoText.spanish {
            let item = entry.kind == "problem" ? problemID : hardware
            try await api.must(.PUT, "/api/v1/translations/\(entry.kind)/\(item)/\(entry.field)/es", ["text": entry.text])
        }
    }

    private static func equipment(_ api: InProcessAPI, organisations: [PageJSON], products: [PageJSON], today: LocalDate) async throws {
        var firstAsset: String?
        for (index, organisation) in organisations.prefix(3).enumerated() {
            guard let id = organisation["id"]?.string else { continue }
            for (name, type, host) in [("Core controller", "controller", "atlas-\(index + 1).example.net"), ("Edge gateway", "gateway", "beacon-\(index + 1).example.net")] {
                var body: [String: Any] = ["name": "\(name) \(index + 1)", "organisation_id": id, "asset_type": type, "criticality": index == 0 ? "mission_critical" : "high",
                                           "serial": "SN-\(type.prefix(3).uppercased())-\(1000 + index)", "host": host, "monitored": true,
                                           "location": "Rack \(index + 1)", "warranty_ends_on": today.adding(days: 365).description]
                if let version = products.first?["versions"]?.items.first?["id"]?.string, type == "controller" { body["product_version_id"] = version }
                let asset = try await api.must(.POST, "/api/v1/assets", body)
                if firstAsset == nil { firstAsset = asset["id"]?.string }
            }
        }
        try await api.must(.POST, "/api/v1/maintenance/plans", [
            "name": "Quarterly controller inspection", "asset_type": "controller", "interval": ["count": 3, "unit": "month"],
            "starts_on": today.adding(days: 3).description, "lead_days": 14, "active": true,
            "checklist": [["id": "fans", "text": "Fans spin freely and are clean", "required": true],
                          ["id": "firmware", "text": "Firmware is on a supported version", "required": true],
                          ["id": "backup", "text": "Configuration backup taken", "required": false]]])
        try await api.must(.POST, "/api/v1/maintenance/run")
        for (name, sku, quantity) in [("Fan module", "FAN-200", 6), ("Power supply 650 W", "PSU-650", 2), ("SFP+ optic", "SFP-10G", 12)] {
            let part = try await api.must(.POST, "/api/v1/parts", ["name": name, "sku": sku])
            if let id = part["id"]?.string {
                try await api.must(.PUT, "/api/v1/parts/\(id)/stock", ["location": "Madrid depot", "quantity": quantity, "minimum": 3])
            }
        }
        try await api.must(.POST, "/api/v1/repair-vendors", ["name": "Atlas Repair Centre", "email": "rma@atlas-repair.example", "turnaround_days": 10])
        try await api.must(.POST, "/api/v1/alerts/webhook", ["title": "Controller temperature high", "source": "zabbix", "status": "problem",
                                                             "severity": "major", "asset": "SN-CON-1000"])
    }

    private static func revoke(_ api: InProcessAPI, token: String) async throws {
        for item in try await api.must(.GET, "/api/v1/tokens").items where item["name"]?.string == "demo loader" {
            if let id = item["id"]?.string { _ = try await api.call(.DELETE, "/api/v1/tokens/\(id)") }
        }
    }
}
