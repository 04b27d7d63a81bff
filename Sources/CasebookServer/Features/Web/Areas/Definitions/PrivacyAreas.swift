import CasebookCore

/// Privacy requests about one person, the retention rules for solved cases, and the legal holds that stop both.
enum PrivacyAreas {
    static let all: [Area] = [requests, retention, holds]

    static let requests = Area(
        section: .admin, name: "privacy", title: "Privacy requests",
        intro: "When someone asks what you hold about them, or asks to be forgotten: find them, download everything about them as one ZIP "
            + "(their profile, cases, messages, files, sign-ins), or anonymise them. Anonymising keeps their cases for the organisation's "
            + "history and the reports, but replaces their name, address and phone number everywhere and removes what they sent. "
            + "Both are recorded on the audit log.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/privacy",
        filters: [AreaField("q", "Name or address", placeholder: "ann@example.com")],
        columns: [AreaColumn("Name", "name", link: .entry), AreaColumn("Email", "email"), AreaColumn("Role", "role"),
                  AreaColumn("Organisation", "organisation"), AreaColumn("Cases", "cases"), AreaColumn("Anonymised", "anonymised")],
        actions: [AreaAction(name: "anonymise", form: AreaForm(
            title: "Anonymise", submit: "Anonymise this person", path: "/api/v1/privacy/{id}/anonymise",
            fields: [AreaField("confirm", "Type their address again to confirm", required: true)],
            intro: "Cannot be undone. Their cases must all be solved or closed and none under a legal hold. Their cases and timelines stay; "
                + "their name, address and phone number are replaced in every message, subject and change, the files they sent and stored "
                + "mail are removed, and they are signed out everywhere and can no longer sign in."),
            when: (key: "anonymised", values: ["no"]), done: "Anonymised.", showsResult: true)],
        links: [AreaLink(title: "Download everything about them (ZIP)", path: "/api/v1/privacy/{id}/export"),
                AreaLink(title: "Download everything, with internal notes on their cases (ZIP)", path: "/api/v1/privacy/{id}/export?internal=true")])

    static var ruleFields: [AreaField] {
        [AreaField("name", "Name", required: true, placeholder: "Anonymise after two years"),
         AreaField("months", "Months after a case is solved or closed", .number, required: true, help: "1 to 600."),
         .choice("action", "Then", RetentionAction.allCases.map(\.rawValue), required: true,
                 help: "Anonymise keeps the case with its fields and times for reports and removes what was written and sent; delete removes it whole."),
         .pick("organisation_id", "Only this organisation's cases", from: "/api/v1/organisations"),
         AreaField("active", "Run every night at 03:00 UTC", .checkbox)]
    }

    static let retention = Area(
        section: .admin, name: "retention", title: "Retention",
        intro: "How long solved cases are kept. Every night each active rule anonymises or deletes the cases solved or closed more than its "
            + "months ago, leaving alone every case under a legal hold (and, when deleting, cases an RCA report, repair or work order refers to). "
            + "Try a rule with a dry run first: it counts and changes nothing.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/retention-rules",
        columns: [AreaColumn("Rule", "name", link: .entry), AreaColumn("Months", "months"), AreaColumn("Then", "action"),
                  AreaColumn("Organisation", "organisation_id"), AreaColumn("Active", "active"), AreaColumn("Last run", "last_run_at"),
                  AreaColumn("Result", "last_run_result")],
        create: AreaForm(title: "Add a rule", submit: "Add rule", fields: ruleFields, starting: ["action": "anonymise", "months": "24"]),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: ruleFields),
        actions: [AreaAction(name: "dry-run", form: AreaForm(title: "Dry run", submit: "Count what it would do", path: "/api/v1/retention-rules/{id}/run",
                                                             fields: [], intro: "Counts the cases now due, and those held; changes nothing."),
                             done: "Counted.", showsResult: true),
                  AreaAction(name: "run", form: AreaForm(title: "Run now", submit: "Run this rule now", path: "/api/v1/retention-rules/{id}/run?dry_run=false",
                                                         fields: [], intro: "Anonymises or deletes every case now due, at once. Cannot be undone."),
                             done: "Done.", showsResult: true),
                  AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this rule", method: .DELETE,
                                                            path: "/api/v1/retention-rules/{id}", fields: []),
                             done: "Removed.", returnsToList: true)],
        listLinks: [AreaLink(title: "Legal holds", path: "/admin/legal-holds")])

    static let holds = Area(
        section: .admin, name: "legal-holds", title: "Legal holds",
        intro: "Cases kept whatever the retention rules say and whoever asks to be forgotten: every case of an organisation, or one case, "
            + "until the hold is lifted.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/legal-holds",
        columns: [AreaColumn("Reason", "reason", link: .entry), AreaColumn("Organisation", "organisation_id"),
                  AreaColumn("Case", "case_reference", link: .casePage), AreaColumn("Since", "created_at"), AreaColumn("By", "created_by")],
        titleKey: "reason",
        create: AreaForm(title: "Put on hold", submit: "Put on hold", fields: [
            .pick("organisation_id", "Every case of this organisation", from: "/api/v1/organisations"),
            AreaField("case_reference", "Or this one case", placeholder: "CB-1042"),
            AreaField("reason", "Why", .textarea, required: true, placeholder: "Dispute with Acme, counsel's letter of 3 March")]),
        actions: [AreaAction(name: "lift", form: AreaForm(title: "Lift", submit: "Lift this hold", method: .DELETE, path: "/api/v1/legal-holds/{id}",
                                                          fields: [], intro: "Retention rules apply to these cases again from the next run."),
                             done: "Lifted.", returnsToList: true)],
        listLinks: [AreaLink(title: "Retention rules", path: "/admin/retention")])
}
