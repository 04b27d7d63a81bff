import CasebookCore
import Foundation
import Vapor

/// `/reports/tone`: how often agents corrected the tone read from customers' messages, read from the API like every
/// report page, with the corrections as a labelled set to measure the classifier on.
struct ToneReportPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "tone", use: show)
    }

    struct Row: Encodable {
        var from: String
        var to: String
        var language: String
        var count: String
    }

    struct Item: Encodable {
        var at: String
        var atISO: String
        var reference: String
        var from: String
        var to: String
        var by: String
        var excerpt: String
    }

    struct Period: Encodable {
        var days: Int
        var label: String
        var selected: Bool
    }

    struct View: Encodable {
        var page: PageChrome
        var summary: String
        var periods: [Period]
        var download: String
        var counts: [Row]
        var items: [Item]
    }

    static let periods = [7, 30, 90, 365]

    @Sendable func show(req: Request) async throws -> Vapor.View {
        try req.authorize(.readReports)
        let asked = req.query[Int.self, at: "days"] ?? 30
        let days = Self.periods.contains(asked) ? asked : 30
        let data = try await InProcessAPI(req: req).get("/api/v1/tone/corrections", query: ["days": String(days)])
        let chrome = req.chrome(req.text("tone_report_title", "Tone corrections"), area: "reports")
        let t = chrome.t
        func tone(_ value: String?) -> String { value.map { t["tone_" + $0] ?? $0 } ?? "" }
        func language(_ code: String?) -> String { code.map { t["language_" + $0] ?? $0 } ?? "" }
        let total = data["total"]?.int ?? 0
        let read = data["messages_read"]?.int ?? 0
        let summary = PlaceholderTemplate.render(t["tone_report_summary"] ?? "{{corrections}}; {{messages}} in the same {{days}} days.", values: [
            "corrections": chrome.counted("tone_report_corrections", count: total, "\(total) corrections"),
            "messages": chrome.counted("tone_report_messages", count: read, "\(read) customer messages were read"),
            "days": String(days),
        ])
        let counts = (data["counts"]?.items ?? []).map {
            Row(from: tone($0["from"]?.string), to: tone($0["to"]?.string), language: language($0["language"]?.string), count: $0["count"]?.text ?? "0")
        }
        let items = (data["items"]?.items ?? []).prefix(100).map { item -> Item in
            let when = (item["corrected_at"]?.string).flatMap { try? Date($0, strategy: .iso8601) }
            let text = item["text"]?.string ?? ""
            return Item(at: when.map(PageFormat.time) ?? "", atISO: item["corrected_at"]?.string ?? "", reference: item["reference"]?.string ?? "",
                        from: tone(item["from"]?.string), to: tone(item["to"]?.string), by: item["corrected_by"]?.string ?? "—",
                        excerpt: text.count > 140 ? String(text.prefix(140)) + "…" : text)
        }
        let periods = Self.periods.map {
            Period(days: $0, label: PlaceholderTemplate.render(t["tone_report_period"] ?? "last {{days}} days", values: ["days": String($0)]), selected: $0 == days)
        }
        return try await req.view.render("tone-report", View(page: chrome, summary: summary, periods: periods,
                                                             download: "/api/v1/tone/corrections?days=\(days)&format=tsv",
                                                             counts: counts, items: Array(items)))
    }
}
