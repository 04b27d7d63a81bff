import Foundation

/// One thing a technician checks on a visit.
public struct ChecklistItem: Sendable, Hashable, Codable {
    public let id: String
    public let text: String
    public let required: Bool

    public init(id: String, text: String, required: Bool = true) {
        self.id = id
        self.text = text
        self.required = required
    }

    /// `required` may be left out and then is true.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        text = try c.decode(String.self, forKey: .text)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
    }

    enum CodingKeys: String, CodingKey { case id, text, required }
}

/// What a technician found for one item.
public struct ChecklistAnswer: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case pass, fail
        /// Looked at, nothing to judge; the note says what was seen.
        case note
    }

    public let itemID: String
    public let outcome: Outcome
    public let note: String?

    public init(itemID: String, outcome: Outcome, note: String? = nil) {
        self.itemID = itemID
        self.outcome = outcome
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case itemID = "item_id"
        case outcome, note
    }
}

/// The result of a completed visit, shown on the inspection tag.
public enum InspectionResult: String, Sendable, Codable, CaseIterable {
    case passed
    /// Every check passed, but a technician left a note worth reading.
    case passedWithNotes = "passed_with_notes"
    case failed
}

/// The rules for a checklist and its answers.
public enum Checklist {
    /// Checks a checklist definition: unique non-empty ids, 1 to 200 items.
    public static func validate(_ items: [ChecklistItem]) throws(MaintenanceError) {
        guard !items.isEmpty, items.count <= 200 else { throw .badChecklist("a checklist has 1 to 200 items") }
        var seen = Set<String>()
        for item in items {
            guard !item.id.isEmpty, item.id.count <= 64 else { throw .badChecklist("every item needs an id of 1 to 64 characters") }
            guard !item.text.trimmingCharacters(in: .whitespaces).isEmpty else { throw .badChecklist("item '\(item.id)' has no text") }
            guard seen.insert(item.id).inserted else { throw .badChecklist("item id '\(item.id)' appears twice") }
        }
    }

    /// Judges a visit: every required item answered, answers only for known items, a failure always explained.
    public static func evaluate(_ items: [ChecklistItem], answers: [ChecklistAnswer]) throws(MaintenanceError) -> InspectionResult {
        let known = Set(items.map(\.id))
        var answered = Set<String>()
        for answer in answers {
            guard known.contains(answer.itemID) else { throw .badChecklist("'\(answer.itemID)' is not on this checklist") }
            guard answered.insert(answer.itemID).inserted else { throw .badChecklist("'\(answer.itemID)' is answered twice") }
            let hasNote = !(answer.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            if answer.outcome != .pass && !hasNote {
                throw .badChecklist("'\(answer.itemID)' is \(answer.outcome.rawValue) and needs a note saying what was found")
            }
        }
        let missing = items.filter { $0.required && !answered.contains($0.id) }.map(\.id)
        guard missing.isEmpty else { throw .badChecklist("required items not answered: \(missing.joined(separator: ", "))") }
        if answers.contains(where: { $0.outcome == .fail }) { return .failed }
        return answers.contains(where: { $0.note.map { !$0.isEmpty } ?? false }) ? .passedWithNotes : .passed
    }
}
