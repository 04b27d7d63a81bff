import CasebookCore
import Foundation
import Vapor

/// Time logged on cases: `/cases/{reference}/time` (staff log minutes without a reply, and read a case's entries) and
/// `/time-report` (minutes by organisation, contract or agent over a period, JSON or CSV).
struct TimeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", ":reference", "time", use: caseTime)
        routes.post("cases", ":reference", "time", use: log)
        routes.get("time-report", use: report)
    }

    struct CaseTime: Content {
        var totalMinutes: Int
        var entries: [Entry]

        enum CodingKeys: String, CodingKey { case entries, totalMinutes = "total_minutes" }

        /// One entry as a case shows it: who, when, how long, and whether a reply or note went with it.
        struct Entry: Content {
            var id: UUID
            var userID: UUID
            var minutes: Int
            var note: String?
            var withMessage: Bool
            var at: Date

            enum CodingKeys: String, CodingKey { case id, minutes, note, at, userID = "user_id", withMessage = "with_message" }
        }
    }

    struct LogInput: Content {
        var minutes: Int
        var note: String?
    }

    struct Report: Content {
        var from: String
        var to: String
        var by: String
        var totalMinutes: Int
        var rows: [TimeTotal]

        enum CodingKeys: String, CodingKey { case from, to, by, rows, totalMinutes = "total_minutes" }
    }

    @Sendable func caseTime(req: Request) async throws -> CaseTime {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        let entries = try await TimeEntryRepository.entries(of: record.id, on: req.store.sql)
        return CaseTime(totalMinutes: entries.reduce(0) { $0 + $1.minutes }, entries: entries.map {
            CaseTime.Entry(id: $0.id, userID: $0.userID, minutes: $0.minutes, note: $0.note, withMessage: $0.messageID != nil, at: $0.at)
        })
    }

    /// Minutes spent without a message to go with them (a call, a visit, research).
    @Sendable func log(req: Request) async throws -> Response {
        let record = try await req.readableCase()
        try req.authorize(.addMessage(CaseLookup.facts(record), .internal))
        let input = try req.content.decode(LogInput.self)
        let note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (note?.count ?? 0) <= 500 else { throw DomainError.invalid("note", "must be at most 500 characters") }
        let entry = TimeEntry(id: RecordID.make(), caseID: record.id, messageID: nil, userID: try req.current.user.id,
                              minutes: try TimeEntry.checked(input.minutes), note: note?.isEmpty == false ? note : nil, at: req.now)
        let store = req.store
        try await store.write { db in try await TimeEntryRepository.add(entry, on: store.sql(db)) }
        return try await entry.encodeResponse(status: .created, for: req)
    }

    @Sendable func report(req: Request) async throws -> Response {
        try req.authorize(.readReports)
        let calendar = ReportRollup.utc
        func day(_ key: String) throws -> LocalDate? {
            guard let text = req.query[String.self, at: key], !text.isEmpty else { return nil }
            guard let value = LocalDate(parsing: text) else { throw DomainError.invalid(key, "must be a date like 2026-11-01") }
            return value
        }
        let to = try day("to") ?? calendar.localDay(of: req.now)
        let from = try day("from") ?? to.adding(days: -29)
        guard from <= to, to.dayNumber - from.dayNumber <= 3_660 else { throw DomainError.invalid("from", "must be before 'to', at most ten years apart") }
        let byText = req.query[String.self, at: "by"].flatMap { $0.isEmpty ? nil : $0 } ?? "organisation"
        guard let by = TimeTotal.Grouping(rawValue: byText) else { throw DomainError.invalid("by", "must be organisation, contract or agent") }
        let rows = try await TimeEntryRepository.report(from: calendar.instant(from, minute: 0), to: calendar.instant(to.adding(days: 1), minute: 0),
                                            by: by, on: req.store.sql)
        guard req.query[String.self, at: "format"] == "csv" else {
            return try await Report(from: from.description, to: to.description, by: by.rawValue, totalMinutes: rows.reduce(0) { $0 + $1.minutes },
                                    rows: rows).encodeResponse(for: req)
        }
        var csv = "\(by.rawValue),minutes,hours,cases\r\n"
        for row in rows {
            csv += CSVField.quote(row.name) + ",\(row.minutes)," + String(format: "%.2f", Double(row.minutes) / 60) + ",\(row.cases)\r\n"
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"time-by-\(by.rawValue)-\(from)-\(to).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }
}

extension TimeEntry: Content {}
extension TimeTotal: Content {}
