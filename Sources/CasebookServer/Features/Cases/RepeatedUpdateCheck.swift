import CasebookCore
import Foundation
import SQLKit
import Vapor

/// Compares a public update with the previous public staff update on the same case.
enum RepeatedUpdateCheck {
    /// A warning shown with an update (never blocking): it repeats the previous one.
    struct Warning: Content, Equatable {
        var kind = "similar_update"
        var similarity: Double
        var threshold: Double
        var previousMessageID: UUID

        enum CodingKeys: String, CodingKey {
            case kind, similarity, threshold
            case previousMessageID = "previous_message_id"
        }
    }

    /// The similarity to the latest earlier public staff update, when there is one.
    static func compare(_ text: String, caseID: UUID, excluding messageID: UUID?, on sql: any SQLDatabase) async throws -> Warning? {
        guard let previous = try await ConversationRepository.lastPublicStaffUpdate(caseID: caseID, excluding: messageID, on: sql) else { return nil }
        let score = UpdateSimilarity.score(text, previous.text)
        return Warning(similarity: score, threshold: UpdateSimilarity.warningThreshold, previousMessageID: previous.id)
    }
}
