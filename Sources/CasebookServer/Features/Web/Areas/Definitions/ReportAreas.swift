import CasebookCore

/// The team's figures as pages: cases by service-level state.
enum ReportAreas {
    static let all: [Area] = [serviceLevels, satisfaction, deflection]

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

    static let deflection = Area(
        section: .reports, name: "deflection", title: "Self-service deflection",
        intro: "How often a suggested article answered a customer before they filed a case.",
        access: .readReports, write: .readReports, api: "/api/v1/reports/deflection",
        columns: [], hasEntries: false)
}
