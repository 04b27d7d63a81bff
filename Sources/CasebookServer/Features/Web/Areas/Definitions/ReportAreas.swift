import CasebookCore

/// The team's figures as pages: cases by service-level state.
enum ReportAreas {
    static let all: [Area] = [serviceLevels, satisfaction, deflection, time]

    static let serviceLevels = Area(
        section: .reports, name: "service-levels", title: "Service levels now",
        intro: "Open cases by their service-level clock: breached first, then those about to breach.",
        access: .readServiceLevels, write: .manageServiceLevels, api: "/api/v1/sla/cases",
        filters: [.choice("state", "State", SLAState.allCases.map(\.rawValue), blank: "breached, warning or running")],
        columns: [AreaColumn("Case", "reference", link: .casePage), AreaColumn("Subject", "subject"), AreaColumn("Priority", "priority"),
                  AreaColumn("Status", "status"), AreaColumn("Clock", "state"), AreaColumn("Next due", "earliest_due_at"),
                  AreaColumn("Assignee", "assignee_id")],
        hasEntries: false)

    static let satisfaction = Area(
        section: .reports, name: "satisfaction", title: "Satisfaction",
        intro: "Survey answers by agent, group, organisation or month, with the response rate and every comment's score.",
        access: .readReports, write: .readReports, api: "/api/v1/reports/satisfaction",
        filters: [.choice("group_by", "By", ["agent", "group", "organisation", "month"]), AreaField("from", "From", .date), AreaField("to", "To", .date)],
        columns: [], hasEntries: false,
        listLinks: [AreaLink(title: "Download as CSV", path: "/api/v1/reports/satisfaction?format=csv")])

    static let time = Area(
        section: .reports, name: "time", title: "Time spent",
        intro: "Minutes staff logged on cases, with their replies and notes or on their own, by organisation, contract or agent.",
        access: .readReports, write: .readReports, api: "/api/v1/time-report",
        filters: [.choice("by", "By", TimeTotal.Grouping.allCases.map(\.rawValue)), AreaField("from", "From", .date), AreaField("to", "To", .date)],
        columns: [], hasEntries: false,
        listLinks: [AreaLink(title: "Download by organisation as CSV", path: "/api/v1/time-report?format=csv"),
                    AreaLink(title: "Download by contract as CSV", path: "/api/v1/time-report?by=contract&format=csv")])

    static let deflection = Area(
        section: .reports, name: "deflection", title: "Self-service deflection",
        intro: "How often a suggested article answered a customer before they filed a case.",
        access: .readReports, write: .readReports, api: "/api/v1/reports/deflection",
        columns: [], hasEntries: false)
}

/// The weekly report by mail: who receives it, and sending it now.
enum WeeklyReportArea {
    static let area = Area(
        section: .reports, name: "weekly", title: "Weekly report by mail",
        intro: "Every Monday at 07:00 UTC the dashboard's figures go by mail to the people listed here, with a link to the dashboard.",
        access: .readReports, write: .manageReports, api: "/api/v1/report-recipients",
        columns: [AreaColumn("Email", "email"), AreaColumn("Added", "created_at")],
        hasEntries: false,
        create: AreaForm(title: "Add a recipient", submit: "Add recipient", fields: [AreaField("email", "Email", required: true, placeholder: "lead@example.com")]),
        actions: [AreaAction(name: "remove", form: AreaForm(title: "Remove", submit: "Remove", method: .DELETE, path: "/api/v1/report-recipients/{id}", fields: []),
                             done: "Removed.")],
        commands: [AreaAction(name: "send", form: AreaForm(title: "Send it now", submit: "Send this week's report now", path: "/api/v1/report-recipients/send",
                                                         fields: [], intro: "Sends to everyone above now, even if this week's report went already."),
                              done: "Sent.")])
}
