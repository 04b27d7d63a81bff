import Fluent
import Foundation

/// A named counter, such as the next case number.
final class CounterModel: Model, @unchecked Sendable {
    static let schema = "counters"

    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "value") var value: Int

    init() {}

    init(name: String, value: Int) {
        self.id = name
        self.value = value
    }
}
