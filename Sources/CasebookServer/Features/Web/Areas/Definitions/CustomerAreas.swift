import CasebookCore

/// The organisations supported, each with its account view, and the ranking of who needs support most.
enum CustomerAreas {
    static let all: [Area] = [organisations, ranking, bounced]

    static var organisationFields: [AreaField] {
        [AreaField("name", "Name", required: true),
         AreaField("domain", "Email domain", help: "Mail from this domain is filed under the organisation.", placeholder: "example.com"),
         AreaField("seats", "Seats", .number, help: "How many people the organisation's licence covers."),
         .pick("account_manager_id", "Account manager", from: "/api/v1/users", query: ["role": "account_manager"]),
         AreaField("shares_cases", "Colleagues see each other's cases", .checkbox)]
    }

    static let organisations = Area(
        section: .customers, name: "organisations", title: "Accounts",
        intro: "Each organisation's account: open and breached cases, contracts and renewal, satisfaction, equipment and the problems that touch it.",
        access: .readPeople, write: .manageOrganisations, api: "/api/v1/organisations",
        columns: [AreaColumn("Organisation", "name", link: .entry), AreaColumn("Domain", "domain"), AreaColumn("Seats", "seats"),
                  AreaColumn("Account manager", "account_manager_id")],
        create: AreaForm(title: "Add an organisation", submit: "Add organisation", fields: organisationFields),
        edit: AreaForm(title: "Change this organisation", submit: "Save organisation", method: .PATCH, fields: organisationFields),
        commands: CSVImportCommands.commands(api: "/api/v1/organisations/import", noun: "organisations",
                                             columns: "name, domain, shares_cases (yes/no), seats, account_manager (a staff email). A known name is updated."),
        related: [AreaRelated(title: "Account", path: "/api/v1/organisations/{id}/account"),
                  AreaRelated(title: "People", path: "/api/v1/users", query: ["organisation_id": "{id}"]),
                  AreaRelated(title: "Timeline", path: "/api/v1/organisations/{id}/timeline")],
        links: [AreaLink(title: "Open cases of this organisation", path: "/desk?view=all&status=any&organisation_id={id}")],
        listLinks: [AreaLink(title: "Download every organisation as CSV", path: "/api/v1/organisations/export")])

    static let ranking = Area(
        section: .customers, name: "ranking", title: "Who needs us most",
        intro: "Organisations by cases per seat over the chosen days, with how many cases came from known problems and repeats.",
        access: .readReports, write: .readReports, api: "/api/v1/accounts/ranking",
        filters: [AreaField("days", "Days", .number, placeholder: "90"), .choice("by", "Rank by", ["cases_per_seat", "repeat_problems"], blank: "default")],
        columns: [AreaColumn("Organisation", "name"), AreaColumn("Cases", "cases"), AreaColumn("Seats", "seats"),
                  AreaColumn("Cases per seat", "cases_per_seat"), AreaColumn("From known problems", "problem_cases"),
                  AreaColumn("Repeat problems", "repeat_problems")],
        hasEntries: false)

    static let bounced = Area(
        section: .customers, name: "bounced-addresses", title: "Bounced addresses",
        intro: "Addresses whose mail server said they take no mail (a 5.x.x delivery report): nothing more is sent to them, and their "
            + "messages show as suppressed in the outbox. Fix the contact's address, or clear the entry once the customer says their mailbox works.",
        access: .readInternal, write: .managePeople(targetRole: .customer), api: "/api/v1/bounced-addresses",
        filters: [AreaField("address", "Address")],
        columns: [AreaColumn("Address", "address", link: .entry), AreaColumn("Status", "status"), AreaColumn("Their server said", "reason"),
                  AreaColumn("Bounced", "bounced_at")],
        titleKey: "address",
        actions: [AreaAction(name: "clear", form: AreaForm(title: "Clear", submit: "Send mail to this address again", method: .DELETE,
                                                           path: "/api/v1/bounced-addresses/{id}", fields: []),
                             done: "Cleared.", returnsToList: true)])
}
