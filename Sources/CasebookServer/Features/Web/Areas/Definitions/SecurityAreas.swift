import CasebookCore

/// Who did what and who is signed in where: the audit log and every open session, for admins.
enum SecurityAreas {
    static let all: [Area] = [auditLog, sessions, providers]

    static let auditLog = Area(
        section: .admin, name: "audit-log", title: "Audit log",
        intro: "Every change to configuration and access (people, roles, tokens, service levels, rules, intake flows, templates, webhooks, "
            + "sign-in settings), every sign-in and refused sign-in, and every export: who, when, from which address, and the record before "
            + "and after. Entries are only ever added; nobody can change or remove one, here or in the database.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/audit-events",
        filters: [AreaField("q", "Words", placeholder: "an address, an id, a word of the change"),
                  .choice("category", "Kind", AuditScope.Category.allCases.map(\.rawValue), blank: "any"),
                  .pick("actor_id", "Who", from: "/api/v1/users"),
                  AreaField("subject_type", "What (users, webhooks, sla-policies, …)"),
                  AreaField("since", "From", .date), AreaField("until", "Before", .date)],
        columns: [AreaColumn("When", "at", link: .entry), AreaColumn("Who", "actor_email"), AreaColumn("From", "client"),
                  AreaColumn("Kind", "category"), AreaColumn("What", "action"), AreaColumn("Record", "subject_id"), AreaColumn("Answer", "outcome")],
        titleKey: "action",
        listLinks: [AreaLink(title: "Download the log as CSV", path: "/api/v1/audit-events/export?format=csv"),
                    AreaLink(title: "Download the log as JSON Lines", path: "/api/v1/audit-events/export?format=jsonl")])

    static let sessions = Area(
        section: .admin, name: "sessions", title: "Signed-in sessions",
        intro: "Everyone who is signed in, where and on what. End a session to sign that browser out at once; people see and end their own on "
            + "their Account page.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/sessions",
        filters: [.pick("user_id", "Person", from: "/api/v1/users")],
        listQuery: ["all": "true"],
        columns: [AreaColumn("Person", "user_email"), AreaColumn("Browser", "device"), AreaColumn("Address", "client"),
                  AreaColumn("Signed in", "created_at"), AreaColumn("Last seen", "last_seen_at"), AreaColumn("Lapses", "expires_at")],
        hasEntries: false,
        actions: [AreaAction(name: "end", form: AreaForm(title: "End", submit: "End session", method: .DELETE, path: "/api/v1/sessions/{id}", fields: []),
                             done: "Session ended.")])

    static var providerFields: [AreaField] {
        [AreaField("name", "Shown on the sign-in page as", required: true, placeholder: "Company account"),
         AreaField("issuer", "Issuer URL", required: true, help: "Its /.well-known/openid-configuration describes the rest.",
                   placeholder: "https://login.microsoftonline.com/<tenant>/v2.0"),
         AreaField("client_id", "Client ID", required: true),
         AreaField("client_secret", "Client secret", .password, help: "Kept, never shown again; leave empty to keep the one in place."),
         AreaField("scopes", "Scopes", placeholder: "openid email profile"),
         AreaField("role_claim", "Claim with groups or roles", placeholder: "groups"),
         AreaField("role_map", "Roles for claim values", .json, help: #"A JSON object, e.g. {"helpdesk-admins": "admin", "helpdesk": "agent"}; the strongest match wins and is set at every sign-in."#),
         .choice("default_role", "Role of new people no value maps", Role.allCases.map(\.rawValue), blank: "none: refuse them"),
         AreaField("creates_people", "Create people at their first sign-in (otherwise known people only)", .checkbox),
         AreaField("active", "Offered on the sign-in page", .checkbox)]
    }

    static let providers = Area(
        section: .admin, name: "sign-in-providers", title: "Company sign-in",
        intro: "Let people sign in with their company account through OpenID Connect: Microsoft Entra ID, Google, Keycloak, Authentik and the like. "
            + "Register Casebook at the provider with the redirect address https://<this site>/login/oidc/callback. Each provider active here is "
            + "a button on the sign-in page.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/sign-in-providers",
        columns: [AreaColumn("Name", "name", link: .entry), AreaColumn("Issuer", "issuer"), AreaColumn("Client ID", "client_id"),
                  AreaColumn("Creates people", "creates_people"), AreaColumn("Active", "active")],
        create: AreaForm(title: "Add a provider", submit: "Add provider", fields: providerFields),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: providerFields),
        actions: [AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this provider", method: .DELETE,
                                                            path: "/api/v1/sign-in-providers/{id}", fields: [],
                                                            intro: "People who signed in with it keep their accounts; they sign in another way."),
                             done: "Removed.", returnsToList: true)])
}
