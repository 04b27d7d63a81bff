import Foundation

/// What a retention rule does to a solved or closed case once it is old enough.
public enum RetentionAction: String, Sendable, Codable, CaseIterable {
    /// Keeps the case, its fields and times for reports; removes what was written and sent (texts, attachments, mail).
    case anonymise
    /// Removes the case and everything on it.
    case delete
}

/// A rule of how long solved cases are kept: cases solved or closed more than `months` ago (optionally only one
/// organisation's) are anonymised or deleted, except those under a legal hold.
public struct RetentionRule: Sendable, Equatable {
    public static let monthsRange = 1...600

    public var id: UUID
    public var name: String
    public var months: Int
    public var action: RetentionAction
    public var organisationID: UUID?
    public var active: Bool

    public init(id: UUID, name: String, months: Int, action: RetentionAction, organisationID: UUID?, active: Bool) {
        self.id = id
        self.name = name
        self.months = months
        self.action = action
        self.organisationID = organisationID
        self.active = active
    }

    /// Cases solved or closed before this moment are due: `months` calendar months before `now`, in UTC.
    public func cutoff(now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .month, value: -months, to: now) ?? now
    }

    /// Checks what an admin typed, naming the field at fault.
    public func validated() throws(DomainError) -> RetentionRule {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw .invalid("name", "must be 1 to 200 characters") }
        guard Self.monthsRange.contains(months) else { throw .invalid("months", "must be between 1 and 600") }
        var rule = self
        rule.name = trimmed
        return rule
    }
}
