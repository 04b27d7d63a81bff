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
        let chrome = req.chrome(req.text("dash_title", "Dashboard"), area: "reports")
        let t = chrome.t
        func word(_ key: String, _ fallback: String, _ values: [String: String] = [:]) -> String {
            PlaceholderTemplate.render(t[key] ?? fallback, values: values)
        }
        func number(_ path: String) -> String {
            guard case let .number(value)? = data[path] else { return "—" }
            return PageNumber.format(value, language: chrome.lang)
        }
        let statuses = ["new", "open", "pending_customer", "pending_vendor"]
        var queue = statuses.map { Tile(label: t["desk_status_" + $0] ?? PageJSON.label($0), value: number("queue.by_status.\($0)"), href: "/desk?view=all&status=\($0)") }
        queue += [Tile(label: word("dash_unassigned", "Unassigned"), value: number("queue.unassigned"), href: "/desk?view=unassigned"),
                  Tile(label: word("dash_breaching", "Breaching soon"), value: number("queue.breaching_soon"), href: "/reports/service-levels?state=warning"),
                  Tile(label: word("dash_breached", "Breached"), value: number("queue.breached"), href: "/desk?view=breached")]
        // A unit only beside a figure: nothing measured yet reads "—".
        func with(_ value: String, _ unit: String) -> String { value == "—" ? value : value + unit }
        let hours = " h", median = word("dash_note_median", "median, 30 days")
        let responsiveness = [
            Tile(label: word("dash_first_response", "First response"), value: with(number("responsiveness.first_response_hours"), hours),
                 href: "/reports/charts#first-response", note: median),
            Tile(label: word("dash_between_updates", "Time between updates"), value: with(number("responsiveness.time_between_updates_hours"), hours),
                 href: "/reports/charts#time-between-updates", note: word("dash_note_between", "median wait between two updates to the customer")),
            Tile(label: word("dash_resolution", "Resolution"), value: with(number("responsiveness.resolution_hours"), hours), href: "/reports/charts#resolution", note: median),
            Tile(label: word("dash_sla", "SLA attainment"), value: with(number("responsiveness.sla_attainment_percent"), " %"), href: "/reports/charts#sla-attainment",
                 note: word("dash_note_sla", "cases without a breach")),
        ]
        let customers = [
            Tile(label: word("dash_satisfaction", "Satisfaction"), value: with(number("satisfaction.average"), " / 5"), href: "/reports/charts#satisfaction-trend",
                 note: word("dash_note_answers", "{{count}} answers, 30 days", ["count": number("satisfaction.responses")])),
            Tile(label: word("dash_angry", "Angry or frustrated, last 7 days"), value: number("tone.flagged_last7_days"),
                 href: "/desk?view=all&status=any&tone=angry,frustrated",
                 note: word("dash_note_week_before", "{{count}} the week before", ["count": number("tone.flagged_previous7_days")])),
            Tile(label: word("dash_outages", "Outages avoided"), value: number("outages_avoided"), href: "/customers/organisations",
                 note: word("dash_note_outages", "raised by monitoring or maintenance, 90 days")),
        ]
        func count(_ value: PageJSON?) -> String {
            guard case let .number(number)? = value else { return "0" }
            return PageNumber.format(number, language: chrome.lang)
        }
        let problems = (data["top_problems"]?.items ?? []).map {
            Tile(label: $0["title"]?.text ?? "", value: count($0["cases"]), href: $0["id"]?.string.map { "/problems/records/" + $0 },
                 note: word("dash_note_linked", "linked cases"))
        }
        let affected = (data["most_affected"]?.items ?? []).map {
            Tile(label: $0["name"]?.text ?? "", value: count($0["open_cases"]),
                 href: $0["id"]?.string.map { "/desk?view=all&status=open,new,pending_customer,pending_vendor&organisation_id=" + $0 },
                 note: word("dash_note_open", "open cases"))
        }
        let charts = ["volume", "backlog"].map { name in
            Chart(title: name == "volume" ? word("dash_chart_volume", "Cases opened, 30 days") : word("dash_chart_backlog", "Backlog"),
                  src: "/api/v1/reports/\(name)?format=svg&language=\(chrome.lang)",
                  csv: "/api/v1/reports/\(name)?format=csv&language=\(chrome.lang)", summary: [])
        }
        return try await req.view.render("dashboard", DashboardView(page: chrome, queue: queue, responsiveness: responsiveness, customers: customers,
                                                                    problems: problems, affected: affected, charts: charts))
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
        let chrome = req.chrome(req.text("charts_title", "Charts"), area: "reports")
        var query: [String: String] = [:]
        for key in ["from", "to"] { if let value = req.query[String.self, at: key], !value.isEmpty { query[key] = value } }
        let api = InProcessAPI(req: req)
        let words = AreaText(strings: chrome.t)
        var charts: [Chart] = []
        for name in ReportQueries.Name.allCases.map(\.rawValue) {
            let report = try await api.get("/api/v1/reports/\(name)", query: query.merging(["language": chrome.lang]) { first, _ in first })
            var components = URLComponents()
            components.queryItems = (query.sorted { $0.key < $1.key } + [("language", chrome.lang)]).map { URLQueryItem(name: $0.0, value: $0.1) }
            let extra = components.percentEncodedQuery.map { "&" + $0 } ?? ""
            let summary = (report["summary"]?.members ?? [:]).sorted { $0.key < $1.key }.map {
                Tile(label: words.label($0.key), value: $0.value.double.map { PageNumber.format($0, language: chrome.lang) } ?? $0.value.text)
            }
            charts.append(Chart(title: report["title"]?.text ?? name, src: "/api/v1/reports/\(name)?format=svg" + extra,
                                csv: "/api/v1/reports/\(name)?format=csv" + extra, summary: summary))
        }
        return try await req.view.render("charts", ChartsView(page: chrome, from: query["from"] ?? "",
                                                              to: query["to"] ?? "", charts: charts, anchors: ReportQueries.Name.allCases.map(\.rawValue)))
    }
}
