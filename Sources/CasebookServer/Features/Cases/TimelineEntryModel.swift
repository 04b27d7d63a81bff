import Fluent
import Foundation

/// One append-only entry in a case's history.
final class TimelineEntryModel: Model, @unchecked Sendable {
    static let schema = "timeline_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "field") var field: String?
    @OptionalField(key: "old_value") var oldValue: String?
    @OptionalField(key: "new_value") var newValue: String?
    @OptionalField(key: "message_id") var messageID: UUID?
    @Field(key: "visibility") var visibility: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(
        id: UUID? = nil, caseID: UUID, position: Int, kind: String, actorID: UUID?, field: String? = nil,
        oldValue: String? = nil, newValue: String? = nil, messageID: UUID? = nil, visibility: String, createdAt: Date
    ) {
        self.id = id
        self.caseID = caseID
        self.position = position
        self.kind = kind
        self.actorID = actorID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.messageID = messageID
        self.visibility = visibility
        self.createdAt = createdAt
    }
}
