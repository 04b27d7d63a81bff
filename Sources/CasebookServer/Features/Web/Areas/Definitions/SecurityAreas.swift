import CasebookCore

/// Who did what and who is signed in where: the audit log and every open session, for admins.
enum SecurityAreas {
    static let all: [Area] = [auditLog, sessions, providers, directories]

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
         AreaField("group_map", "Casebook groups for claim values (staff)", .json, help: #"A JSON object from a claim value to one of your groups' names, e.g. {"network-team": "Network"}; staff join and leave these groups at every sign-in."#),
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
        create: AreaForm(title: "Add a provider", submit: "Add provider", fields: providerFields, starting: ["active": "on"]),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: providerFields),
        actions: [AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this provider", method: .DELETE,
                                                            path: "/api/v1/sign-in-providers/{id}", fields: [],
                                                            intro: "People who signed in with it keep their accounts; they sign in another way."),
                             done: "Removed.", returnsToList: true)])

    static var directoryFields: [AreaField] {
        [AreaField("name", "Name", required: true, placeholder: "Head office directory"),
         AreaField("url", "Server", required: true, help: "ldap://host:389 (with StartTLS) or ldaps://host:636.", placeholder: "ldap://dc1.corp.example:389"),
         AreaField("start_tls", "Encrypt with StartTLS (needed for ldap:// beyond this machine)", .checkbox),
         AreaField("verify_certificates", "Check the server's certificate", .checkbox),
         AreaField("ca_certificates", "Company CA certificate (PEM)", .textarea, help: "Only when the directory's certificate is signed by your own CA."),
         AreaField("bind_dn", "Service account", required: true, help: "Used to find people and their groups; read access is enough.",
                   placeholder: "cn=casebook,ou=services,dc=corp,dc=example"),
         AreaField("bind_password", "Service account password", .password, help: "Kept, never shown again; leave empty to keep the one in place."),
         AreaField("base_dn", "Search under", required: true, placeholder: "dc=corp,dc=example"),
         AreaField("user_filter", "Find a person by", help: "An LDAP filter; {login} is what they typed, escaped.",
                   placeholder: "(|(uid={login})(mail={login}))   Active Directory: (|(sAMAccountName={login})(userPrincipalName={login}))"),
         AreaField("email_attribute", "Address attribute", placeholder: "mail"),
         AreaField("name_attribute", "Name attribute", placeholder: "cn"),
         AreaField("group_attribute", "Groups attribute", help: "Read from the person: memberOf in Active Directory and OpenLDAP with the memberof overlay.",
                   placeholder: "memberOf"),
         AreaField("group_filter", "Or find groups by", help: "An LDAP filter; {dn} is the person's DN.", placeholder: "(member={dn})"),
         AreaField("role_map", "Roles for groups", .json, help: #"A JSON object from a group's DN or name to a role, e.g. {"helpdesk-admins": "admin", "helpdesk": "agent"}; the strongest match wins, at every sign-in and every sync."#),
         AreaField("group_map", "Casebook groups for directory groups (staff)", .json, help: #"A JSON object from a directory group's DN or name to one of your groups' names, e.g. {"network-team": "Network"}; staff join and leave these groups at every sign-in and every sync."#),
         .choice("default_role", "Role of new people no group maps", Role.allCases.map(\.rawValue), blank: "none: refuse them"),
         AreaField("creates_people", "Create people at their first sign-in (otherwise known people only)", .checkbox),
         AreaField("active", "Check passwords against it", .checkbox)]
    }

    static let directories = Area(
        section: .admin, name: "directories", title: "Directory sign-in (LDAP)",
        intro: "Let people sign in on the sign-in form with their directory user name or address and password: OpenLDAP, Active Directory "
            + "and the like. Every night at 02:00 UTC (or now, with Sync) people gone from the directory are switched off and signed out, "
            + "and roles follow group changes.",
        access: .manageSecurity, write: .manageSecurity, api: "/api/v1/directories",
        columns: [AreaColumn("Name", "name", link: .entry), AreaColumn("Server", "url"), AreaColumn("Search under", "base_dn"),
                  AreaColumn("Last sync", "last_sync_at"), AreaColumn("Result", "last_sync_result"), AreaColumn("Active", "active")],
        create: AreaForm(title: "Add a directory", submit: "Add directory", fields: directoryFields,
                         starting: ["start_tls": "on", "verify_certificates": "on", "active": "on"]),
        edit: AreaForm(title: "Change", submit: "Save", method: .PATCH, fields: directoryFields),
        actions: [AreaAction(name: "test", form: AreaForm(title: "Test", submit: "Test the connection", fields: [
                                AreaField("login", "Look up a person (optional)", placeholder: "a user name or address")],
                                intro: "Connects, signs in as the service account and, given a person, shows what Casebook would see: "
                                    + "their address, name, groups and role. Changes nothing."),
                             done: "Tested.", showsResult: true),
                  AreaAction(name: "sync", form: AreaForm(title: "Sync now", submit: "Sync now", fields: [],
                                intro: "Switches off people gone from the directory and follows group changes, as the nightly sync does. "
                                    + "If the directory finds none of the people it signed in, nobody is switched off."),
                             done: "Synced.", showsResult: true),
                  AreaAction(name: "delete", form: AreaForm(title: "Remove", submit: "Remove this directory", method: .DELETE,
                                                            path: "/api/v1/directories/{id}", fields: [],
                                                            intro: "People who signed in with it keep their accounts; they sign in another way."),
                             done: "Removed.", returnsToList: true)])
}
