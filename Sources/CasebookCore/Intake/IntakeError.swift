/// What is wrong with one question or answer, named by its key so a form can show it in place.
public struct IntakeError: Error, Sendable, Hashable {
    public var key: String
    public var reason: String

    public init(_ key: String, _ reason: String) {
        self.key = key
        self.reason = reason
    }
}
