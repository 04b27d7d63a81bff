import Fluent
import Foundation

/// An admin-defined case field.
final class CustomFieldModel: Model, @unchecked Sendable {
    static let schema = "custom_fields"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "label") var label: String
    @Field(key: "kind") var kind: String
    @Field(key: "required") var required: Bool
    @Field(key: "choices") var choices: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(id: UUID? = nil, key: String, label: String, kind: String, required: Bool, choices: String, active: Bool, createdAt: Date) {
        self.id = id
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
        self.active = active
        self.createdAt = createdAt
    }
}
