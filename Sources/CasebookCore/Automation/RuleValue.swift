/// A value in a rule condition or a fact about a case: text, a number, or a list of texts.
public enum RuleValue: Sendable, Equatable, Codable {
    case text(String)
    case number(Double)
    case list([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let list = try? container.decode([String].self) {
            self = .list(list)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a rule value is a string, a number or a list of strings")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(text): try container.encode(text)
        case let .number(number): try container.encode(number)
        case let .list(list): try container.encode(list)
        }
    }

    /// How the value reads in an explanation.
    public var description: String {
        switch self {
        case let .text(text): text
        case let .number(number): Int(exactly: number).map(String.init) ?? String(number)
        case let .list(list): list.joined(separator: ", ")
        }
    }

    /// The largest magnitude a rule compares with: any count, hour or percentage a case can have, and exact as a whole number.
    public static let largestNumber = 1e15

    var texts: [String] {
        switch self {
        case let .text(text): [text]
        case .number: [description]
        case let .list(list): list
        }
    }
}
