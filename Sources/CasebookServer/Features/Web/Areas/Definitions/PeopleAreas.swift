import CasebookCore
import Vapor

/// People (staff and customer contacts) and the canned responses agents reply with.
enum PeopleAreas {
    static let all: [Area] = [people]

    /// Agent first, so "Add a person" adds an agent unless told otherwise; admin last.
    static let roles = ["agent", "customer", "account_manager", "admin"]

    static var personFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         .choice("role", "Role", roles, required: true, help: "Agents work cases; customers use the portal; account managers watch their accounts; admins set everything up."),
         .pick("organisation_id", "Organisation (customers)", from: "/api/v1/organisations"),
         .choice("language", "Language", ["en", "es", "fr", "de"]),
         AreaField("time_zone", "Time zone", placeholder: "Europe/Madrid"),
         AreaField("phone", "Phone"),
         AreaField("tier", "Support tier (agents)", .number, help: "1 is the front line; escalations go to higher tiers.")]
    }

    static let people = Area(
        section: .customers, name: "people", title: "People",
        intro: "Customer contacts and staff: who they are, their organisation, language and time zone.",
        access: .readPeople, write: .managePeople(targetRole: .customer), api: "/api/v1/users",
        filters: [.choice("role", "Role", roles, blank: "any"), .pick("organisation_id", "Organisation", from: "/api/v1/organisations")],
        columns: [AreaColumn("Name", "name", link: .entry), AreaColumn("Email", "email"), AreaColumn("Role", "role"),
                  AreaColumn("Organisation", "organisation_id"), AreaColumn("Language", "language"), AreaColumn("Active", "active")],
        create: AreaForm(title: "Add a person", submit: "Add person", fields: [AreaField("email", "Email", required: true)] + personFields + [
            AreaField("password", "Password", .password, help: "At least 12 characters; leave empty for a contact who only writes by email.")]),
        edit: AreaForm(title: "Change this person", submit: "Save person", method: .PATCH,
                       fields: personFields + [AreaField("active", "Active (can sign in and receive mail)", .checkbox)],
                       intro: "Only admins change staff; agents look after customer contacts."),
        actions: [AreaAction(name: "reset-two-factor", form: AreaForm(
            title: "Reset two-factor sign-in", submit: "Turn their two-factor sign-in off", method: .DELETE, path: "/api/v1/users/{id}/two-factor",
            fields: [], intro: "For someone who lost their phone and their recovery codes: their second factor is forgotten and every session of theirs "
                + "ends. Where staff must use two-factor sign-in, they set it up again when they next sign in."),
            access: .manageSecurity, done: "Two-factor sign-in is off for this person; their sessions have ended.")],
        commands: CSVImportCommands.commands(api: "/api/v1/contacts/import", noun: "contacts",
                                             columns: "email, name, organisation (its name; import organisations first), phone, language, time_zone. "
                                                 + "A known customer's email updates that contact; staff are never changed."),
        links: [AreaLink(title: "Open a case for this person", path: "/desk/new?requester={id}")],
        listLinks: [AreaLink(title: "Download every customer contact as CSV", path: "/api/v1/contacts/export")])
}

/// The three ways to send a CSV file of people: preview it, import it whole, or import the good rows only.
enum CSVImportCommands {
    static func commands(api: String, noun: String, columns: String) -> [AreaAction] {
        func field() -> AreaField {
            AreaField("csv", "CSV file contents", .body(HTTPMediaType(type: "text", subType: "csv")), required: true,
                      help: "A header line naming the columns (any order): " + columns)
        }
        return [
            AreaAction(name: "preview", form: AreaForm(title: "Preview a CSV import of \(noun)", submit: "Preview", path: api + "?mode=preview", fields: [field()],
                                                       intro: "Checks every row and shows what would be created or updated, and every bad row; writes nothing."),
                       done: "Checked.", showsResult: true),
            AreaAction(name: "import", form: AreaForm(title: "Import \(noun) (CSV)", submit: "Import", path: api + "?mode=apply", fields: [field()],
                                                      intro: "All or nothing: one bad row refuses the whole file, naming every bad row."),
                       done: "Imported.", showsResult: true),
            AreaAction(name: "import-good-rows", form: AreaForm(title: "Import \(noun), skipping bad rows", submit: "Import the good rows",
                                                                path: api + "?mode=apply&skip_bad_rows=true", fields: [field()],
                                                                intro: "Writes every good row and lists the rows left out."),
                       done: "Imported.", showsResult: true),
        ]
    }
}
