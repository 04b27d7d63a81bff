import CasebookCore

/// The team's figures as pages: cases by service-level state.
enum ReportAreas {
    static let all: [Area] = [serviceLevels]

    static let serviceLevels = Area(
        section: .reports, name: "service-levels", title: "Service levels now",
        intro: "Open cases by their service-level clock: breached first, then those about to breach.",
        access: .readServiceLevels, write: .manageServiceLevels, api: "/api/v1/sla/cases",
        filters: [.choice("state", "State", SLAState.allCases.map(\.rawValue), blank: "breached, warning or running")],
        columns: [AreaColumn("Case", "reference", link: .casePage), AreaColumn("Subject", "subject"), AreaColumn("Priority", "priority"),
                  AreaColumn("Status", "status"), AreaColumn("Clock", "state"), AreaColumn("Next due", "earliest_due_at"),
                  AreaColumn("Assignee", "assignee_id")],
        hasEntries: false)
}
