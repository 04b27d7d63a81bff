import CasebookCore
import Foundation
import Vapor

/// `PUT /cases/{reference}/messages/{message}/tone`: an agent corrects the tone read from a customer's message.
/// `GET /tone/corrections`: the corrections of a period, counted by reading and language, as JSON or as a
/// labelled set (`format=tsv`) that `casebook tone evaluate --file` reads.
struct ToneController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.put("cases", ":reference", "messages", ":message", "tone", use: correct)
        routes.get("tone", "corrections", use: corrections)
    }

    struct CorrectionInput: Content {
        var tone: String?
    }

    struct CorrectionAnswer: Content {
        var messageID: UUID
        var tone: String
        var previous: String
        var changed: Bool
        var correctionID: UUID?

        enum CodingKeys: String, CodingKey {
            case tone, previous, changed
            case messageID = "message_id", correctionID = "correction_id"
        }
    }

    @Sendable func correct(req: Request) async throws -> CorrectionAnswer {
        let record = try await req.readableCase()
        try req.authorize(.updateCase(CaseLookup.facts(record)))
        guard let messageID = req.parameters.get("message").flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("The message") }
        let tone = try Self.tone(try req.content.decode(CorrectionInput.self).tone)
        let (services, current, reference) = (req.casebook, try req.current, try req.parameters.require("reference"))
        let outcome = try await req.store.write { db in
            try await CorrectTone(services: services).run(reference: reference, messageID: messageID, to: tone, by: current, on: db)
        }
        return CorrectionAnswer(messageID: messageID, tone: outcome.to.rawValue, previous: outcome.from.rawValue, changed: outcome.changed,
                                correctionID: outcome.correction)
    }

    /// The tone a form or a request names; anything else is refused with the choices.
    static func tone(_ text: String?) throws -> Tone {
        guard let text, let tone = Tone(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw DomainError.invalid("tone", "must be one of \(Tone.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return tone
    }

    struct CorrectionsAnswer: Content {
        var since: Date
        var messagesRead: Int
        var total: Int
        var counts: [ToneCorrectionCount]
        var items: [ToneCorrectionView]

        enum CodingKeys: String, CodingKey {
            case since, total, counts, items
            case messagesRead = "messages_read"
        }
    }

    @Sendable func corrections(req: Request) async throws -> Response {
        try req.authorize(.readReports)
        let days = try req.query.get(Int?.self, at: "days") ?? 30
        guard (1...3660).contains(days) else { throw DomainError.invalid("days", "must be between 1 and 3660") }
        let format = (try? req.query.get(String.self, at: "format")) ?? "json"
        guard ["json", "tsv"].contains(format) else { throw DomainError.invalid("format", "must be json or tsv") }
        let since = req.casebook.clock().addingTimeInterval(-Double(days) * 86_400)
        let sql = req.store.sql
        let items = try await ToneCorrectionRepository.list(since: since, limit: format == "tsv" ? 100_000 : 500,
                                                            prefix: req.casebook.configuration.referencePrefix, on: sql)
        if format == "tsv" {
            let response = Response(status: .ok, body: .init(string: Self.labelledSet(items)))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "tab-separated-values", parameters: ["charset": "utf-8"])
            response.headers.contentDisposition = .init(.attachment, filename: "tone-corrections.tsv")
            return response
        }
        let counts = try await ToneCorrectionRepository.counts(since: since, on: sql)
        let answer = CorrectionsAnswer(since: since, messagesRead: try await ToneCorrectionRepository.messagesRead(since: since, on: sql),
                                       total: counts.reduce(0) { $0 + $1.count }, counts: counts, items: items)
        return try await answer.encodeResponse(for: req)
    }

    /// `label<TAB>text` a line, the latest correction of each message only; tabs and line breaks in the text become spaces.
    static func labelledSet(_ items: [ToneCorrectionView]) -> String {
        var seen = Set<UUID>()
        var lines = ["label\ttext"]
        for item in items where seen.insert(item.messageID).inserted {
            let flat = item.text.components(separatedBy: .whitespacesAndNewlines).filter { !$0.isEmpty }.joined(separator: " ")
            lines.append("\(item.to)\t\(flat)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
