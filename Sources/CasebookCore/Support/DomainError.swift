/// A refusal by a rule of the business, in words for people. It knows nothing of any protocol: the HTTP layer answers
/// it with a problem body or an error page, the SMTP listener with a reply code, the command line with a message.
public enum DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field's value breaks a rule: `invalid("subject", "must not be empty")`.
    case invalid(String, String)
    /// Several fields break rules at once (a form's answers, the rows of an imported file): a summary and each fault.
    case invalidFields(String, [FieldFault])
    /// The thing asked for does not exist, or the caller may not know it does: "Case CB-10001".
    case notFound(String)
    /// The request clashes with what is stored (a duplicate, a stale version, a state that does not allow it).
    case conflict(String)
    /// The caller may not do this.
    case forbidden(String)
    /// The input cannot be read at all (not a date, not a cursor this API returned).
    case malformed(String)
    /// The input is larger than this path accepts; `field` names the part that is, when one does.
    case tooLarge(String, field: String? = nil)

    public var description: String {
        switch self {
        case let .invalid(field, message): "Field '\(field)' \(message)."
        case let .notFound(what): "\(what) was not found."
        case let .conflict(detail), let .forbidden(detail), let .malformed(detail), let .tooLarge(detail, _), let .invalidFields(detail, _): detail
        }
    }
}

/// One field's fault among several.
public struct FieldFault: Sendable, Equatable {
    public let field: String
    public let message: String
    /// A stable name for the kind of fault (`required`, `not_a_number`), for clients that word it themselves.
    public let code: String?

    public init(field: String, message: String, code: String? = nil) {
        self.field = field
        self.message = message
        self.code = code
    }
}
