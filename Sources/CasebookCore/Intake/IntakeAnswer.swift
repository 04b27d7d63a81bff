/// One checked answer, typed by its question's kind.
public enum IntakeAnswer: Sendable, Hashable, Codable {
    case text(String)
    case choice(String)
    case yesNo(Bool)
    case number(Double)
    case date(LocalDate)
    /// An uploaded file, by name (the bytes travel as an attachment of the case's first message).
    case file(String)
    case productVersion(id: String, label: String)

    /// The version's id, for a product-version answer.
    public var productVersionID: String? {
        if case let .productVersion(id, _) = self { return id }
        return nil
    }

    /// The text form conditions compare against and pages show.
    public var comparable: String {
        switch self {
        case .text(let text), .choice(let text), .file(let text): text
        case .yesNo(let value): value ? "yes" : "no"
        case .number(let value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .date(let date): date.description
        case .productVersion(let id, _): id
        }
    }

    /// The text a person reads.
    public var display: String {
        switch self {
        case .productVersion(_, let label): label
        default: comparable
        }
    }

    private enum CodingKeys: String, CodingKey { case kind, value, label }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(IntakeQuestionKind.self, forKey: .kind)
        switch kind {
        case .text: self = .text(try container.decode(String.self, forKey: .value))
        case .choice: self = .choice(try container.decode(String.self, forKey: .value))
        case .yesNo: self = .yesNo(try container.decode(Bool.self, forKey: .value))
        case .number: self = .number(try container.decode(Double.self, forKey: .value))
        case .file: self = .file(try container.decode(String.self, forKey: .value))
        case .date:
            let text = try container.decode(String.self, forKey: .value)
            guard let date = LocalDate(parsing: text) else {
                throw DecodingError.dataCorruptedError(forKey: .value, in: container, debugDescription: "not a date: \(text)")
            }
            self = .date(date)
        case .productVersion:
            self = .productVersion(id: try container.decode(String.self, forKey: .value),
                                   label: try container.decodeIfPresent(String.self, forKey: .label) ?? "")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let value): try container.encode(IntakeQuestionKind.text, forKey: .kind); try container.encode(value, forKey: .value)
        case .choice(let value): try container.encode(IntakeQuestionKind.choice, forKey: .kind); try container.encode(value, forKey: .value)
        case .yesNo(let value): try container.encode(IntakeQuestionKind.yesNo, forKey: .kind); try container.encode(value, forKey: .value)
        case .number(let value): try container.encode(IntakeQuestionKind.number, forKey: .kind); try container.encode(value, forKey: .value)
        case .date(let value): try container.encode(IntakeQuestionKind.date, forKey: .kind); try container.encode(value.description, forKey: .value)
        case .file(let value): try container.encode(IntakeQuestionKind.file, forKey: .kind); try container.encode(value, forKey: .value)
        case .productVersion(let id, let label):
            try container.encode(IntakeQuestionKind.productVersion, forKey: .kind)
            try container.encode(id, forKey: .value)
            try container.encode(label, forKey: .label)
        }
    }
}
