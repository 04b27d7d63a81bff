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
        guard let row = try await req.store.sql.select().columns("score", "comment", "answered_at", "sent_at").from("satisfaction_surveys")
            .where("case_id", .equal, record.id).first() else { throw Problem.notFound("A survey for this case") }
        return SatisfactionView(score: try row.decode(column: "score", as: Int?.self), comment: try row.decode(column: "comment", as: String?.self),
                                answeredAt: try row.decode(column: "answered_at", as: Date?.self), sentAt: try row.decode(column: "sent_at", as: Date.self))
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
        guard [CaseStatus.solved.rawValue, CaseStatus.closed.rawValue].contains(record.status) else {
            throw Problem.conflict("A case can be rated once it is solved.")
        }
        let input = try req.content.decode(Rating.self)
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            let token = try await SatisfactionSurveys.ensure(caseID: record.id, on: sql, now: now)
            try await SatisfactionSurveys.answer(token: token, score: input.score, comment: input.comment, via: "portal", on: sql, now: now)
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
        let groupBy = req.query[String.self, at: "group_by"] ?? "agent"
        guard ["agent", "group", "organisation", "month"].contains(groupBy) else {
            throw Problem.badRequest("Query parameter 'group_by' must be agent, group, organisation or month.")
        }
        let from = try req.query[String.self, at: "from"].map { text -> LocalDate in
            guard let day = LocalDate(parsing: text) else { throw Problem.badRequest("Query parameter 'from' must be a date like 2026-11-01.") }
            return day
        }
        let to = try req.query[String.self, at: "to"].map { text -> LocalDate in
            guard let day = LocalDate(parsing: text) else { throw Problem.badRequest("Query parameter 'to' must be a date like 2026-11-30.") }
            return day
        }
        let utc = BusinessCalendar.allHours()
        let start = from.map { utc.instant($0, minute: 0) } ?? Date(timeIntervalSince1970: 0)
        let end = to.map { utc.instant($0.adding(days: 1), minute: 0) } ?? Date.distantFuture
        let sql = req.store.sql
        let sent = try await sql.raw("SELECT COUNT(*) AS n FROM satisfaction_surveys WHERE sent_at >= \(bind: start) AND sent_at < \(bind: end)")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await sql.raw("""
            SELECT s.score, s.answered_at, s.agent_id, s.group_id, s.organisation_id, u.name AS agent_name, g.name AS group_name, o.name AS organisation_name
            FROM satisfaction_surveys s LEFT JOIN users u ON u.id = s.agent_id LEFT JOIN groups g ON g.id = s.group_id
            LEFT JOIN organisations o ON o.id = s.organisation_id
            WHERE s.answered_at IS NOT NULL AND s.answered_at >= \(bind: start) AND s.answered_at < \(bind: end)
            """).all()
        var buckets: [String: (name: String, scores: [Int])] = [:]
        for row in rows {
            let score = try row.decode(column: "score", as: Int.self)
            let key: String
            let name: String
            switch groupBy {
            case "group":
                key = try row.decode(column: "group_id", as: UUID?.self)?.uuidString.lowercased() ?? "none"
                name = try row.decode(column: "group_name", as: String?.self) ?? "(no group)"
            case "organisation":
                key = try row.decode(column: "organisation_id", as: UUID?.self)?.uuidString.lowercased() ?? "none"
                name = try row.decode(column: "organisation_name", as: String?.self) ?? "(no organisation)"
            case "month":
                key = String(utc.localDay(of: try row.decode(column: "answered_at", as: Date.self)).description.prefix(7))
                name = key
            default:
                key = try row.decode(column: "agent_id", as: UUID?.self)?.uuidString.lowercased() ?? "none"
                name = try row.decode(column: "agent_name", as: String?.self) ?? "(unassigned)"
            }
            buckets[key, default: (name, [])].scores.append(score)
        }
        func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        let reportRows = buckets.map { key, bucket in
            ReportRow(key: key, name: bucket.name, responses: bucket.scores.count,
                      average: round(Double(bucket.scores.reduce(0, +)) / Double(bucket.scores.count)),
                      satisfiedPercent: round(100 * Double(bucket.scores.filter { $0 >= 4 }.count) / Double(bucket.scores.count)))
        }.sorted { groupBy == "month" ? $0.key < $1.key : ($0.responses, $1.name) > ($1.responses, $0.name) }
        let all = buckets.values.flatMap(\.scores)
        let report = Report(groupBy: groupBy, from: from, to: to, surveysSent: sent, responses: all.count,
                            responseRatePercent: sent == 0 ? 0 : round(100 * Double(all.count) / Double(sent)),
                            average: all.isEmpty ? nil : round(Double(all.reduce(0, +)) / Double(all.count)), rows: reportRows)
        if req.query[String.self, at: "format"] == "csv" {
            var csv = "\(groupBy),name,responses,average,satisfied_percent\r\n"
            for row in reportRows {
                csv += [row.key, row.name, String(row.responses), String(row.average), String(row.satisfiedPercent)].map(CSVField.quote).joined(separator: ",") + "\r\n"
            }
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"satisfaction-by-\(groupBy).csv\"")
            return Response(status: .ok, headers: headers, body: .init(string: csv))
        }
        return try await report.encodeResponse(for: req)
    }
}

/// One CSV field, quoted when it must be; a leading =, +, - or @ is neutralised so a spreadsheet never runs it as a formula.
enum CSVField {
    static func quote(_ value: String) -> String {
        var text = value
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
