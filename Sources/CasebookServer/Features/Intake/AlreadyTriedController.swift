import CasebookCore
import Foundation
import SQLKit
import Vapor

/// What the customer already tried on a case: the intake answers marked so, and the sentences of their own messages
/// that report an attempt, in any language Casebook reads (`GET /cases/{reference}/already-tried`, staff).
struct AlreadyTriedController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("cases", ":reference", "already-tried", use: show)
    }

    /// One sentence from a message, with where it came from.
    struct Sentence: Content {
        var messageID: UUID
        var sentence: String
        var language: String
        var at: Date

        enum CodingKeys: String, CodingKey {
            case sentence, language, at
            case messageID = "message_id"
        }
    }

    struct Answer: Content {
        var fromAnswers: [CaseIntakeView.Answered]
        var fromMessages: [Sentence]

        enum CodingKeys: String, CodingKey {
            case fromAnswers = "from_answers", fromMessages = "from_messages"
        }
    }

    @Sendable func show(req: Request) async throws -> Answer {
        let record = try await req.readableCase()
        try req.authorize(.readInternal)
        return try await Self.load(caseID: record.id, on: req.store.sql)
    }

    /// Both kinds for one case; the case page shows the same.
    static func load(caseID: UUID, on sql: any SQLDatabase) async throws -> Answer {
        let answers = try await IntakeRepository.filed(caseID: caseID, on: sql).map { CaseIntakeView($0).answers.filter(\.alreadyTried) } ?? []
        var sentences: [Sentence] = []
        for message in try await ConversationRepository.customerMessages(caseID: caseID, on: sql) {
            let language = WrittenLanguage.detect(message.text)
            for sentence in AlreadyTried.sentences(in: message.text, language: language) {
                sentences.append(Sentence(messageID: message.id, sentence: sentence, language: language.rawValue, at: message.at))
            }
        }
        return Answer(fromAnswers: answers, fromMessages: sentences)
    }
}
