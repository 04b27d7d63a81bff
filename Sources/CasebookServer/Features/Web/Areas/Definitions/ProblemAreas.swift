import CasebookCore

/// Problem records with their linked cases and fix releases, and root-cause reports through review to the customer.
enum ProblemAreas {
    static let all: [Area] = [problems, rcaReports, earlyWarnings, notices]

    static var problemFields: [AreaField] {
        [AreaField("title", "Title", required: true),
         .choice("status", "Status", ["investigating", "known_error", "fix_released", "closed"], required: true),
         .pick("product_id", "Product", from: "/api/v1/products"),
         AreaField("root_cause", "Root cause", .textarea),
         AreaField("workaround", "Workaround", .textarea, help: "Shown to agents on every linked case, and offered to customers."),
         .pick("fix_version_id", "Fixed in version", from: "/api/v1/products", nested: "versions")]
    }

    static let problems = Area(
        section: .problems, name: "records", title: "Problem records",
        intro: "The cause behind many cases: link the cases, record the workaround, and tell everyone affected when the fix ships.",
        access: .readInternal, write: .manageProblems, api: "/api/v1/problems",
        filters: [.choice("status", "Status", ["investigating", "known_error", "fix_released", "closed"], blank: "any")],
        columns: [AreaColumn("Problem", "title", link: .entry), AreaColumn("Status", "status"), AreaColumn("Product", "product_id"),
                  AreaColumn("Fix version", "fix_version"), AreaColumn("Changed", "updated_at")],
        titleKey: "title",
        create: AreaForm(title: "Record a problem", submit: "Record problem", fields: problemFields + [
            AreaField("cases", "Linked cases", .lines, help: "Case references, one per line (CB-…).")]),
        edit: AreaForm(title: "Change this problem", submit: "Save problem", method: .PATCH, fields: problemFields),
        actions: [
            AreaAction(name: "cases", form: AreaForm(title: "Link a case", submit: "Link case",
                                                     fields: [AreaField("reference", "Case reference", required: true, placeholder: "CB-…")]), done: "Case linked."),
            AreaAction(name: "release-fix", form: AreaForm(
                title: "Release the fix", submit: "Release fix and tell customers",
                fields: [.pick("fix_version_id", "Fixed in version", from: "/api/v1/products", nested: "versions", required: true),
                         AreaField("message", "Message to the customers on linked cases", .textarea)],
                intro: "Every open linked case hears about the fix; the problem becomes 'fix released'."),
                       when: (key: "status", values: ["investigating", "known_error"]), done: "Fix released."),
        ],
        links: [AreaLink(title: "Root-cause reports for this problem", path: "/problems/rca?problem_id={id}")])

    static var documentFields: [AreaField] {
        ["internal", "customer"].flatMap { version -> [AreaField] in
            let name = version == "internal" ? "Internal" : "Customer"
            return [AreaField("\(version).summary", "\(name) version: summary", .textarea),
                    AreaField("\(version).root_cause", "\(name) version: root cause", .textarea),
                    AreaField("\(version).contributing_factors", "\(name) version: contributing factors", .lines, help: "One per line."),
                    AreaField("\(version).timeline", "\(name) version: timeline (JSON)", .json, help: #"A list of {"at": "2026-11-23T09:41:00Z", "text": "Alert fired"}."#),
                    AreaField("\(version).action_items", "\(name) version: action items (JSON)", .json,
                              help: #"A list of {"text": "Add a disk alarm", "owner_id": null, "due_on": "2026-12-15", "done": false}."#)]
        }
    }

    static let rcaReports = Area(
        section: .problems, name: "rca", title: "Root-cause reports",
        intro: "An internal and a customer version of what happened and why; the customer version is reviewed and approved before it is sent.",
        access: .readInternal, write: .writeRCA, api: "/api/v1/rca-reports",
        filters: [.pick("problem_id", "Problem", from: "/api/v1/problems", labelKey: "title")],
        columns: [AreaColumn("Report", "title", link: .entry), AreaColumn("Customer version", "customer_status"),
                  AreaColumn("Case", "case_reference", link: .casePage), AreaColumn("Problem", "problem_id", link: .area("/problems/records")),
                  AreaColumn("Changed", "updated_at")],
        titleKey: "title",
        create: AreaForm(title: "Start a report", submit: "Start report", fields: [
            AreaField("title", "Title", required: true),
            AreaField("case_reference", "Case", help: "A report covers one case or one problem: give one of the two.", placeholder: "CB-…"),
            .pick("problem_id", "Problem", from: "/api/v1/problems", labelKey: "title")]),
        edit: AreaForm(title: "Write the report", submit: "Save report", method: .PATCH, fields: [AreaField("title", "Title", required: true)] + documentFields),
        actions: [
            AreaAction(name: "submit", form: AreaForm(title: "Ask for review", submit: "Submit for review", fields: []),
                       when: (key: "customer_status", values: ["draft"]), done: "Submitted for review."),
            AreaAction(name: "approve", form: AreaForm(title: "Approve the customer version", submit: "Approve", fields: [],
                                                       intro: "Someone other than the author approves."),
                       when: (key: "customer_status", values: ["in_review"]), done: "Approved."),
            AreaAction(name: "send", form: AreaForm(title: "Send to the customer", submit: "Send customer version", fields: []),
                       when: (key: "customer_status", values: ["approved"]), done: "Sent."),
        ],
        links: [AreaLink(title: "Print the customer version", path: "/api/v1/rca-reports/{id}/print?version=customer"),
                AreaLink(title: "Print the internal version", path: "/api/v1/rca-reports/{id}/print?version=internal")])

    static let earlyWarnings = Area(
        section: .problems, name: "early-warnings", title: "Early warnings",
        intro: "Product versions where several organisations report the same kind of trouble at once: a problem forming before anyone files it.",
        access: .readReports, write: .sendNotices, api: "/api/v1/early-warnings",
        columns: [AreaColumn("Version", "product_version_id"), AreaColumn("Organisations", "organisations"), AreaColumn("Cases", "cases", link: .none),
                  AreaColumn("Detected", "detected_at")],
        hasEntries: false)

    static let notices = Area(
        section: .problems, name: "notices", title: "Proactive notices",
        intro: "Tell everyone running a product version before they call: draft the notice, check exactly who receives it, then send.",
        access: .readInternal, write: .sendNotices, api: "/api/v1/notices",
        columns: [AreaColumn("Subject", "subject", link: .entry), AreaColumn("Version", "version"), AreaColumn("Organisations", "organisations"),
                  AreaColumn("Sent", "sent_at")],
        titleKey: "subject",
        create: AreaForm(title: "Draft a notice", submit: "Draft and show recipients", path: "/api/v1/notices/preview", fields: [
            .pick("product_version_id", "Product version", from: "/api/v1/products", nested: "versions", required: true),
            AreaField("subject", "Subject", required: true), AreaField("body", "Message", .textarea, required: true)],
            intro: "Nothing is sent yet: the next page lists every recipient."),
        actions: [AreaAction(name: "send", form: AreaForm(title: "Send this notice", submit: "Send to these recipients", fields: [],
                                                          intro: "Goes to the people listed above and no one added since; each organisation's timeline records it."),
                             when: (key: "sent_at", values: [""]), done: "Sent.")])
}
