import CasebookCore
import Foundation
import Vapor

/// `/dashboard`: the manager's figures as JSON, or as CSV (`format=csv`) for a spreadsheet.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("dashboard", use: show)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    @Sendable func show(req: Request) async throws -> Response {
        try req.authorize(.readReports)
        let format = req.query[String.self, at: "format"] ?? "json"
        guard ["json", "csv"].contains(format) else { throw Problem.badRequest("Query parameter 'format' must be json or csv.") }
        let dashboard = try await Dashboard.load(now: req.now, on: req.store.sql)
        var headers = HTTPHeaders()
        if format == "csv" {
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"dashboard-\(ReportRollup.utc.localDay(of: req.now)).csv\"")
            return Response(status: .ok, headers: headers, body: .init(string: dashboard.csv))
        }
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try Self.encoder.encode(dashboard)))
    }
}
