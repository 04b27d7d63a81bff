import CasebookCore
import Foundation
import Vapor

/// The manager's dashboard and the report charts, read from the API like every area page.
struct ReportPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "dashboard", use: dashboard)
        routes.get("reports", "charts", use: charts)
    }

    /// The section index shows these beside the report areas.
    static let cards = [
        AreaView.Card(title: "Dashboard", href: "/reports/dashboard",
                      intro: "Queue health now, responsiveness and time between updates, satisfaction, tone, top problems and most affected customers."),
        AreaView.Card(title: "Tone corrections", href: "/reports/tone",
                      intro: "How often agents corrected the tone read from customers' messages, by reading and language, as a labelled set to measure on."),
        AreaView.Card(title: "Charts", href: "/reports/charts", intro: "Volumes, response and resolution times, SLA attainment and satisfaction over any dates, as charts and CSV."),
    ]

    struct Tile: Encodable {
        var label: String
        var value: String
        var href: String?
        var note: String?
    }

    struct DashboardView: Encodable {
        var page: PageChrome
        var queue: [Tile]
        var responsiveness: [Tile]
        var customers: [Tile]
        var problems: [Tile]
        var affected: [Tile]
        var charts: [Chart]
    }

    struct Chart: Encodable {
        var title: String
        var src: String
        var csv: String
        var summary: [Tile]
    }

    @Sendable func dashboard(req: Request) async throws -> View {
        try req.authorize(.readReports)
        let data = try await InProcessAPI(req: req).get("/api/v1/dashboard")
        func number(_ path: String) -> String { data[path].map { $0 == .null ? "—" : $0.text } ?? "—" }
        let statuses = ["new", "open", "pending_customer", "pending_vendor"]
        var queue = statuses.map { Tile(label: PageJSON.label($0), value: number("queue.by_status.\($0)"), href: "/desk?view=all&status=\($0)") }
        queue += [Tile(label: "Unassigned", value: number("queue.unassigned"), href: "/desk?view=unassigned"),
                  Tile(label: "Breaching soon", value: number("queue.breaching_soon"), href: "/reports/service-levels?state=warning"),
                  Tile(label: "Breached", value: number("queue.breached"), href: "/desk?view=breached")]
        let hours = " h"
        let responsiveness = [
            Tile(label: "First response", value: number("responsiveness.first_response_hours") + hours, href: "/reports/charts#first-response", note: "median, 30 days"),
            Tile(label: "Time between updates", value: number("responsiveness.time_between_updates_hours") + hours, href: "/reports/charts#time-between-updates",
                 note: "median wait between two updates to the customer"),
            Tile(label: "Resolution", value: number("responsiveness.resolution_hours") + hours, href: "/reports/charts#resolution", note: "median, 30 days"),
            Tile(label: "SLA attainment", value: number("responsiveness.sla_attainment_percent") + " %", href: "/reports/charts#sla-attainment", note: "cases without a breach"),
        ]
        let customers = [
            Tile(label: "Satisfaction", value: number("satisfaction.average") + " / 5", href: "/reports/charts#satisfaction-trend",
                 note: "\(number("satisfaction.responses")) answers, 30 days"),
            Tile(label: "Angry or frustrated, last 7 days", value: number("tone.flagged_last7_days"), href: "/desk?view=all&status=any&tone=angry,frustrated",
                 note: "\(number("tone.flagged_previous7_days")) the week before"),
            Tile(label: "Outages avoided", value: number("outages_avoided"), href: "/customers/organisations", note: "raised by monitoring or maintenance, 90 days"),
        ]
        let problems = (data["top_problems"]?.items ?? []).map {
            Tile(label: $0["title"]?.text ?? "", value: $0["cases"]?.text ?? "0", href: $0["id"]?.string.map { "/problems/records/" + $0 }, note: "linked cases")
        }
        let affected = (data["most_affected"]?.items ?? []).map {
            Tile(label: $0["name"]?.text ?? "", value: $0["open_cases"]?.text ?? "0",
                 href: $0["id"]?.string.map { "/desk?view=all&status=open,new,pending_customer,pending_vendor&organisation_id=" + $0 }, note: "open cases")
        }
        let charts = ["volume", "backlog"].map { name in
            Chart(title: name == "volume" ? "Cases opened, 30 days" : "Backlog", src: "/api/v1/reports/\(name)?format=svg", csv: "/api/v1/reports/\(name)?format=csv", summary: [])
        }
        return try await req.view.render("dashboard", DashboardView(page: req.chrome("Dashboard", area: "reports", language: "en"), queue: queue,
                                                                    responsiveness: responsiveness, customers: customers, problems: problems,
                                                                    affected: affected, charts: charts))
    }

    struct ChartsView: Encodable {
        var page: PageChrome
        var from: String
        var to: String
        var charts: [Chart]
        var anchors: [String]
    }

    @Sendable func charts(req: Request) async throws -> View {
        try req.authorize(.readReports)
        var query: [String: String] = [:]
        for key in ["from", "to"] { if let value = req.query[String.self, at: key], !value.isEmpty { query[key] = value } }
        let api = InProcessAPI(req: req)
        var charts: [Chart] = []
        for name in ReportQueries.Name.allCases.map(\.rawValue) {
            let report = try await api.get("/api/v1/reports/\(name)", query: query)
            var components = URLComponents()
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            let extra = components.percentEncodedQuery.map { "&" + $0 } ?? ""
            let summary = (report["summary"]?.members ?? [:]).sorted { $0.key < $1.key }.map { Tile(label: PageJSON.label($0.key), value: $0.value.text) }
            charts.append(Chart(title: report["title"]?.text ?? name, src: "/api/v1/reports/\(name)?format=svg" + extra,
                                csv: "/api/v1/reports/\(name)?format=csv" + extra, summary: summary))
        }
        return try await req.view.render("charts", ChartsView(page: req.chrome("Charts", area: "reports", language: "en"), from: query["from"] ?? "",
                                                              to: query["to"] ?? "", charts: charts, anchors: ReportQueries.Name.allCases.map(\.rawValue)))
    }
}
