import CasebookCore
import SQLKit
import Vapor

/// `/cases/{reference}/satisfaction` (the portal's way to rate a solved case) and `/reports/satisfaction` (figures).
struct SatisfactionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", ":reference", "satisfaction", use: show)
        routes.post("cases", ":reference", "satisfaction", use: rate)
        routes.get("reports", "satisfaction", use: report)
    }

    struct SatisfactionView: Content {
        var score: Int?
        var comment: String?
        var answeredAt: Date?
        var sentAt: Date

        enum CodingKeys: String, CodingKey {
            case score, comment
            case answeredAt = "answered_at", sentAt = "sent_at"
        }
    }

    private func readable(_ req: Request) async throws -> CaseRecord {
        let record = try await req.readableCase()
        return record
    }

    @Sendable func show(req: Request) async throws -> SatisfactionView {
        let record = try await readable(req)
        guard let survey = try await SurveyRepository.find(caseID: record.id, on: req.store.sql) else { throw Problem.notFound("A survey for this case") }
        return SatisfactionView(score: survey.score, comment: survey.comment, answeredAt: survey.answeredAt, sentAt: survey.sentAt)
    }

    struct Rating: Content {
        var score: Int
        var comment: String?
    }

    /// The requester rates their solved case from the portal: the same one answer the email link takes.
    @Sendable func rate(req: Request) async throws -> Response {
        let record = try await readable(req)
        let current = try req.current
        guard current.user.id == record.requesterID else { throw Problem.forbidden("Only the person who asked can rate the case.") }
        guard [CaseStatus.solved, .closed].contains(record.status) else {
            throw Problem.conflict("A case can be rated once it is solved.")
        }
        let input = try req.content.decode(Rating.self)
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            let token = try await SatisfactionSurveys.ensure(caseID: record.id, on: sql, now: now)
            try await SatisfactionSurveys.answer(token: token, score: input.score, comment: input.comment, via: "portal", services: req.casebook, on: sql, now: now)
        }
        return try await show(req: req).encodeResponse(status: .created, for: req)
    }

    struct ReportRow: Content {
        var key: String
        var name: String
        var responses: Int
        var average: Double
        /// Share of answers of 4 or 5 (CSAT), in per cent.
        var satisfiedPercent: Double

        enum CodingKeys: String, CodingKey {
            case key, name, responses, average
            case satisfiedPercent = "satisfied_percent"
        }
    }

    struct Report: Content {
        var groupBy: String
        var from: LocalDate?
        var to: LocalDate?
        var surveysSent: Int
        var responses: Int
        var responseRatePercent: Double
        var average: Double?
        var rows: [ReportRow]

        enum CodingKeys: String, CodingKey {
            case from, to, responses, average, rows
            case groupBy = "group_by", surveysSent = "surveys_sent", responseRatePercent = "response_rate_percent"
        }
    }

    /// Satisfaction by agent, group, organisation or month (answers dated by when they came), as JSON or CSV (`format=csv`).
    @Sendable func report(req: Request) async throws -> Response {
        try req.authorize(.readReports)
        guard let grouping = SatisfactionReport.Grouping(rawValue: req.query[String.self, at: "group_by"] ?? "agent") else {
            throw Problem.badRequest("Query parameter 'group_by' must be agent, group, organisation or month.")
        }
        let from = try Self.day(req, "from", example: "2026-11-01")
        let to = try Self.day(req, "to", example: "2026-11-30")
        let utc = BusinessCalendar.allHours()
        let (sent, answers) = try await SatisfactionReport.answers(from: from.map { utc.instant($0, minute: 0) } ?? Date(timeIntervalSince1970: 0),
                                                                   to: to.map { utc.instant($0.adding(days: 1), minute: 0) } ?? Date.distantFuture,
                                                                   on: req.store.sql)
        let rows = SatisfactionReport.rows(answers, by: grouping)
        if req.query[String.self, at: "format"] == "csv" {
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"satisfaction-by-\(grouping.rawValue).csv\"")
            return Response(status: .ok, headers: headers, body: .init(string: SatisfactionReport.csv(rows, by: grouping)))
        }
        let report = Report(groupBy: grouping.rawValue, from: from, to: to, surveysSent: sent, responses: answers.count,
                            responseRatePercent: sent == 0 ? 0 : SatisfactionReport.rounded(100 * Double(answers.count) / Double(sent)),
                            average: SatisfactionReport.average(answers.map(\.score)), rows: rows)
        return try await report.encodeResponse(for: req)
    }

    /// A query parameter that must be a date, if given.
    private static func day(_ req: Request, _ name: String, example: String) throws -> LocalDate? {
        try req.query[String.self, at: name].map { text in
            guard let day = LocalDate(parsing: text) else { throw Problem.badRequest("Query parameter '\(name)' must be a date like \(example).") }
            return day
        }
    }
}

/// One CSV field, quoted when it must be; a leading =, +, - or @ is neutralised so a spreadsheet never runs it as a formula.
enum CSVField {
    static func quote(_ value: String) -> String { quote(value, separator: ",") }

    /// A field of a file whose fields are separated by `separator` (a semicolon where the decimal mark is a comma).
    static func quote(_ value: String, separator: Character) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first), Double(text.replacingOccurrences(of: ",", with: ".")) == nil { text = "'" + text }
        guard text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
