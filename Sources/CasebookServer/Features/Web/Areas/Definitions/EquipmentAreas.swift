import CasebookCore
import Vapor

/// What customers run: assets with their QR labels, maintenance plans and work orders, parts, repair vendors, alerts.
enum EquipmentAreas {
    static let all: [Area] = [assets, plans, workOrders, parts, lowStock, vendors, alerts]

    static var assetFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         .pick("organisation_id", "Organisation", from: "/api/v1/organisations", required: true),
         AreaField("asset_type", "Type", required: true, placeholder: "printer, router, server…"),
         .choice("criticality", "Criticality", ["mission_critical", "high", "normal", "low"], required: true),
         AreaField("model", "Model"), AreaField("serial", "Serial number"), AreaField("vendor", "Vendor"),
         AreaField("location", "Location"), AreaField("host", "Host name", help: "Monitoring alerts for this host are tied to this asset."),
         .pick("product_version_id", "Runs product version", from: "/api/v1/products", nested: "versions"),
         AreaField("warranty_ends_on", "Warranty ends", .date),
         AreaField("monitored", "Monitored (alerts expected from it)", .checkbox)]
    }

    static let assets = Area(
        section: .equipment, name: "assets", title: "Assets",
        intro: "Every device and system you look after, with its cases, maintenance and a QR label technicians scan on site.",
        access: .readEquipment, write: .manageEquipment, api: "/api/v1/assets",
        filters: [AreaField("q", "Name, serial or host"), .pick("organisation_id", "Organisation", from: "/api/v1/organisations"),
                  .choice("criticality", "Criticality", ["mission_critical", "high", "normal", "low"], blank: "any"),
                  .choice("monitored", "Monitored", ["true", "false"], blank: "either")],
        columns: [AreaColumn("Asset", "name", link: .entry), AreaColumn("Organisation", "organisation_id"), AreaColumn("Type", "asset_type"),
                  AreaColumn("Criticality", "criticality"), AreaColumn("Monitored", "monitored"), AreaColumn("Next maintenance", "next_due_on")],
        create: AreaForm(title: "Add an asset", submit: "Add asset", fields: assetFields),
        edit: AreaForm(title: "Change this asset", submit: "Save asset", method: .PATCH,
                       fields: assetFields.filter { $0.key != "organisation_id" } + [AreaField("retired", "Retired", .checkbox)],
                       intro: "An asset stays with its organisation: to move it, retire it here and add it to the new owner."),
        actions: [AreaAction(name: "cases", form: AreaForm(title: "Link a case", submit: "Link case",
                                                           fields: [AreaField("reference", "Case reference", required: true, placeholder: "CB-…")]),
                             done: "Case linked."),
                  AreaAction(name: "unlink", form: AreaForm(title: "Unlink a case", submit: "Unlink case", method: .DELETE,
                                                            path: "/api/v1/assets/{id}/cases/{reference}",
                                                            fields: [AreaField("reference", "Case reference", required: true, placeholder: "CB-…")]),
                             done: "Case unlinked.")],
        commands: [AreaAction(name: "import", form: AreaForm(
            title: "Import assets (CSV)", submit: "Import", path: "/api/v1/assets/import",
            fields: [AreaField("csv", "CSV file contents", .body(HTTPMediaType(type: "text", subType: "csv")), required: true,
                               help: "A header line naming the columns (any order): name, asset_type, organisation (its name), criticality, serial, model, vendor, location, host, warranty_ends_on, monitored (yes/no), product, version. Then one asset per line. A faulty line refuses the whole file.")]),
            done: "Imported.")],
        related: [AreaRelated(title: "Alerts for this asset", path: "/api/v1/alerts", query: ["asset_id": "{id}"]),
                  AreaRelated(title: "Work orders", path: "/api/v1/maintenance/work-orders", query: ["asset_id": "{id}"]),
                  AreaRelated(title: "Plans for this asset alone", path: "/api/v1/maintenance/plans", query: ["asset_id": "{id}"])],
        links: [AreaLink(title: "Print the QR label", path: "/api/v1/assets/{id}/label")])

    static var planFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         .pick("asset_id", "Asset", from: "/api/v1/assets", help: "One asset, or leave empty and give a type to cover every asset of that type."),
         AreaField("asset_type", "Every asset of type"),
         .pick("organisation_id", "Only for organisation", from: "/api/v1/organisations"),
         AreaField("interval.count", "Every", .number, required: true),
         .choice("interval.unit", "Unit", ["day", "week", "month"], required: true),
         AreaField("starts_on", "Starts on", .date, required: true),
         AreaField("lead_days", "Open the work order this many days early", .number),
         .pick("assignee_id", "Technician", from: "/api/v1/users", query: ["role": "agent"]),
         AreaField("checklist", "Checklist (JSON)", .json, help: #"A list of {"id": "filters", "text": "Filters cleaned", "required": true}."#),
         AreaField("active", "Active", .checkbox)]
    }

    static let plans = Area(
        section: .equipment, name: "plans", title: "Maintenance plans",
        intro: "Recurring inspections and services; each due date becomes a work order with its checklist.",
        access: .readEquipment, write: .manageEquipment, api: "/api/v1/maintenance/plans",
        columns: [AreaColumn("Plan", "name", link: .entry), AreaColumn("Asset", "asset_id"), AreaColumn("Type", "asset_type"),
                  AreaColumn("Every", "interval"), AreaColumn("Starts", "starts_on"), AreaColumn("Active", "active")],
        create: AreaForm(title: "Add a plan", submit: "Add plan", fields: planFields),
        edit: AreaForm(title: "Change this plan", submit: "Save plan", method: .PATCH, fields: planFields))

    static let workOrders = Area(
        section: .equipment, name: "work-orders", title: "Work orders",
        intro: "Maintenance due and done: open orders, overdue ones first; completing one records the checklist and a signature.",
        access: .readEquipment, write: .manageEquipment, api: "/api/v1/maintenance/work-orders",
        filters: [.choice("status", "Status", ["open", "done"], blank: "any"), .choice("overdue", "Overdue only", ["true"], blank: "no")],
        columns: [AreaColumn("Due", "due_on", link: .entry), AreaColumn("Asset", "asset_name"), AreaColumn("Status", "status"),
                  AreaColumn("Overdue", "overdue"), AreaColumn("Technician", "assignee_id"), AreaColumn("Result", "result")],
        titleKey: "asset_name",
        actions: [AreaAction(name: "complete", form: AreaForm(
            title: "Complete this work order", submit: "Complete",
            fields: [AreaField("answers", "Checklist answers (JSON)", .json, required: true,
                               help: #"A list of {"item_id": "filters", "outcome": "pass", "note": ""}; outcome is pass, fail or note."#),
                     AreaField("signature", "Signed by", required: true)],
            intro: "A failed item opens a follow-up case."), when: (key: "status", values: ["open"]), done: "Work order completed.")],
        commands: [AreaAction(name: "plan", form: AreaForm(title: "Plan now", submit: "Create the work orders now due", path: "/api/v1/maintenance/run", fields: [],
                                                         intro: "Runs hourly by itself; run it now after changing a plan."), done: "Planned.")],
        listLinks: [AreaLink(title: "Subscribe to the maintenance calendar (.ics)", path: "/api/v1/maintenance/calendar.ics")])

    static let parts = Area(
        section: .equipment, name: "parts", title: "Spare parts",
        intro: "Parts in stock per location, with the minimum that triggers a low-stock warning.",
        access: .readEquipment, write: .manageEquipment, api: "/api/v1/parts",
        columns: [AreaColumn("Part", "name", link: .entry), AreaColumn("SKU", "sku"), AreaColumn("Stock", "stock")],
        create: AreaForm(title: "Add a part", submit: "Add part", fields: [AreaField("name", "Name", required: true), AreaField("sku", "SKU", required: true)]),
        actions: [
            AreaAction(name: "stock", form: AreaForm(title: "Count the stock at a location", submit: "Save count", method: .PUT, fields: [
                AreaField("location", "Location", required: true, placeholder: "Madrid depot"), AreaField("quantity", "Quantity", .number, required: true),
                AreaField("minimum", "Warn at or below", .number)]), done: "Stock saved."),
            AreaAction(name: "use", form: AreaForm(title: "Use parts", submit: "Take from stock", fields: [
                AreaField("location", "From location", required: true), AreaField("quantity", "Quantity", .number, required: true),
                AreaField("case_reference", "For case", help: "Parts are used for something: a case or a work order.", placeholder: "CB-…"),
                .pick("work_order_id", "Or for work order", from: "/api/v1/maintenance/work-orders", labelKey: "asset_name", query: ["status": "open"])]),
                       done: "Taken from stock."),
        ],
        listLinks: [AreaLink(title: "Parts running low", path: "/equipment/low-stock")])

    static let lowStock = Area(
        section: .equipment, name: "low-stock", title: "Parts running low",
        intro: "Parts at or below their minimum at some location, with only those locations.",
        access: .readEquipment, write: .manageEquipment, api: "/api/v1/parts/low-stock",
        columns: [AreaColumn("Part", "name", link: .area("/equipment/parts")), AreaColumn("SKU", "sku"), AreaColumn("Stock", "stock")],
        hasEntries: false)

    static let vendors = Area(
        section: .equipment, name: "vendors", title: "Repair vendors",
        intro: "Where broken equipment goes for repair, and how long they usually take.",
        access: .readEquipment, write: .manageEquipment, api: "/api/v1/repair-vendors",
        columns: [AreaColumn("Vendor", "name"), AreaColumn("Email", "email"), AreaColumn("Phone", "phone"), AreaColumn("Turnaround (days)", "turnaround_days")],
        hasEntries: false,
        create: AreaForm(title: "Add a vendor", submit: "Add vendor", fields: [
            AreaField("name", "Name", required: true), AreaField("email", "Email"), AreaField("phone", "Phone"),
            AreaField("turnaround_days", "Usual turnaround (days)", .number, required: true)]))

    static let alerts = Area(
        section: .equipment, name: "alerts", title: "Monitoring alerts",
        intro: "Alerts from Alertmanager and webhooks, grouped by fingerprint; a firing alert opens or updates an incident case.",
        access: .readEquipment, write: .ingestAlerts, api: "/api/v1/alerts",
        filters: [.choice("status", "Status", ["firing", "resolved"], blank: "any"), .choice("flapping", "Flapping", ["true", "false"], blank: "either")],
        columns: [AreaColumn("Alert", "name"), AreaColumn("Source", "source"), AreaColumn("Status", "status"), AreaColumn("Incident", "incident", link: .casePage),
                  AreaColumn("Received", "received"), AreaColumn("Flapping", "flapping"), AreaColumn("Last seen", "last_seen_at")],
        hasEntries: false)
}
