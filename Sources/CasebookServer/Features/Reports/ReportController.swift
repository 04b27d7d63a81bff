import CasebookCore
import SQLKit
import Vapor

/// `/reports/{name}`: volume, response and resolution percentiles, SLA attainment, backlog, top categories, products
/// and versions, satisfaction trend; as JSON, CSV (`format=csv`) or an SVG chart (`format=svg`).
struct ReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", ":name", use: report)
    }

    struct ReportView: Content {
        var report: String
        var title: String
        var unit: String
        var from: LocalDate
        var to: LocalDate
        var granularity: String
        var points: [Point]
        var summary: [String: Double]

        struct Point: Content {
            var label: String
            var value: Double
        }
    }

    /// The language a report is written in: `language` when given (one Casebook writes), else English.
    static func language(_ req: Request) throws -> String {
        guard let language = req.query[String.self, at: "language"] else { return "en" }
        guard WebText.languages.contains(language) else {
            throw Problem.badRequest("Query parameter 'language' must be one of \(WebText.languages.joined(separator: ", ")).")
        }
        return language
    }

    @Sendable func report(req: Request) async throws -> Response {
        try req.authorize(.readReports)
        guard let name = ReportQueries.Name(rawValue: try req.parameters.require("name")) else {
            throw Problem.notFound("That report (known: \(ReportQueries.Name.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let today = ReportRollup.utc.localDay(of: req.now)
        func day(_ key: String) throws -> LocalDate? {
            guard let text = req.query[String.self, at: key] else { return nil }
            guard let value = LocalDate(parsing: text) else { throw Problem.badRequest("Query parameter '\(key)' must be a date like 2026-11-01.") }
            return value
        }
        let to = try day("to") ?? today
        let from = try day("from") ?? to.adding(days: -29)
        guard from <= to, to.dayNumber - from.dayNumber <= 3_660 else { throw Problem.badRequest("'from' must be before 'to', at most ten years apart.") }
        let granularity: ReportQueries.Granularity
        if let text = req.query[String.self, at: "granularity"] {
            guard let value = ReportQueries.Granularity(rawValue: text) else { throw Problem.badRequest("Query parameter 'granularity' must be day, week or month.") }
            granularity = value
        } else {
            let span = to.dayNumber - from.dayNumber
            granularity = span <= 62 ? .day : span <= 366 ? .week : .month
        }
        let format = req.query[String.self, at: "format"] ?? "json"
        guard ["json", "csv", "svg"].contains(format) else { throw Problem.badRequest("Query parameter 'format' must be json, csv or svg.") }
        let language = try Self.language(req)
        let words = ReportWords(language: language, strings: req.application.webText.strings(language))
        let result = words.translated(try await ReportQueries.run(name, from: from, to: to, granularity: granularity, now: req.now, on: req.store.sql))
        var headers = HTTPHeaders()
        switch format {
        case "csv":
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(name.rawValue)-\(from)-\(to).csv\"")
            return Response(status: .ok, headers: headers, body: .init(string: words.csv(result.points)))
        case "svg":
            headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
            headers.replaceOrAdd(name: "Content-Security-Policy", value: "default-src 'none'; style-src 'unsafe-inline'")
            let title = words.text("{{title}}, {{from}} to {{to}}", ["title": result.title, "from": from.description, "to": to.description])
            return Response(status: .ok, headers: headers, body: .init(string: SVGChart.render(title: title, unit: result.unit, points: result.points,
                                                                                              style: result.style, decimalComma: words.decimalComma,
                                                                                              noData: words.text("No data"))))
        default:
            return try await ReportView(report: name.rawValue, title: result.title, unit: result.unit, from: from, to: to, granularity: granularity.rawValue,
                                        points: result.points.map { .init(label: $0.label, value: $0.value) }, summary: result.summary).encodeResponse(for: req)
        }
    }
}
