/// A configuration variable with a value Casebook cannot use; the message names the variable.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let variable: String
    public let value: String
    public let expected: String

    public var description: String {
        "Configuration error: \(variable)=\"\(value)\" is not valid; expected \(expected)."
    }
}
