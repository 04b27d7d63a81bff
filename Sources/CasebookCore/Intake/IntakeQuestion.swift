import Foundation

/// One question of an intake flow, with the reason it is asked.
public struct IntakeQuestion: Sendable, Codable, Hashable {
    /// Stable within a flow; answers and conditions refer to it.
    public var key: String
    public var label: String
    /// The "why we ask" text shown beside the question.
    public var why: String
    public var kind: IntakeQuestionKind
    public var required: Bool
    /// The options of a choice question.
    public var options: [String]
    public var condition: IntakeCondition?
    /// A fact on record that answers this question without asking.
    public var prefill: IntakePrefill?
    /// Whether the answer says what the customer already tried (shown apart on the case page).
    public var alreadyTried: Bool

    public init(key: String, label: String, why: String, kind: IntakeQuestionKind, required: Bool = false, options: [String] = [],
                condition: IntakeCondition? = nil, prefill: IntakePrefill? = nil, alreadyTried: Bool = false) {
        self.key = key
        self.label = label
        self.why = why
        self.kind = kind
        self.required = required
        self.options = options
        self.condition = condition
        self.prefill = prefill
        self.alreadyTried = alreadyTried
    }

    enum CodingKeys: String, CodingKey {
        case key, label, why, kind, required, options, condition, prefill
        case alreadyTried = "already_tried"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        label = try container.decode(String.self, forKey: .label)
        why = try container.decodeIfPresent(String.self, forKey: .why) ?? ""
        kind = try container.decode(IntakeQuestionKind.self, forKey: .kind)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        options = try container.decodeIfPresent([String].self, forKey: .options) ?? []
        condition = try container.decodeIfPresent(IntakeCondition.self, forKey: .condition)
        prefill = try container.decodeIfPresent(IntakePrefill.self, forKey: .prefill)
        alreadyTried = try container.decodeIfPresent(Bool.self, forKey: .alreadyTried) ?? false
    }

    /// Checks one raw answer (as a form or JSON sends it) against the question's kind.
    public func parse(_ raw: String) -> Result<IntakeAnswer, IntakeError> {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .text:
            guard text.count <= 10_000 else { return .failure(.init(key, "must be at most 10000 characters", kind: .tooLong)) }
            return .success(.text(text))
        case .choice:
            guard options.contains(text) else { return .failure(.init(key, "must be one of: \(options.joined(separator: ", "))", kind: .notAnOption)) }
            return .success(.choice(text))
        case .yesNo:
            switch text.lowercased() {
            case "yes", "true", "1", "on": return .success(.yesNo(true))
            case "no", "false", "0", "off": return .success(.yesNo(false))
            default: return .failure(.init(key, "must be yes or no", kind: .notYesNo))
            }
        case .number:
            // Much of Europe writes 3,5 for 3.5: a lone comma is a decimal comma.
            let decimal = text.contains(".") ? text : text.replacingOccurrences(of: ",", with: ".")
            guard decimal.filter({ $0 == "." }).count <= 1, let value = Double(decimal), value.isFinite else { return .failure(.init(key, "must be a number", kind: .notANumber)) }
            return .success(.number(value))
        case .date:
            guard let date = LocalDate(parsing: text) else { return .failure(.init(key, "must be a date as YYYY-MM-DD", kind: .notADate)) }
            return .success(.date(date))
        case .file:
            guard text.count <= 255, !text.contains("/") else { return .failure(.init(key, "must be a file name")) }
            return .success(.file(text))
        case .productVersion:
            // The caller resolves the id against the catalogue and supplies the label.
            return .success(.productVersion(id: text.lowercased(), label: text))
        }
    }
}
