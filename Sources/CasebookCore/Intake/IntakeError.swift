/// What is wrong with one question or answer, named by its key so a form can show it in place.
public struct IntakeError: Error, Sendable, Hashable {
    public var key: String
    public var reason: String
    /// What kind of fault this is, named where it is found so a page can reword it without reading the English.
    public var kind: Kind

    public init(_ key: String, _ reason: String, kind: Kind = .other) {
        self.key = key
        self.reason = reason
        self.kind = kind
    }

    /// What kind of fault an answer has, so a page can say it in the reader's language.
    public enum Kind: String, Sendable, CaseIterable {
        case required, notAnOption = "not_an_option", notYesNo = "not_yes_no", notANumber = "not_a_number", notADate = "not_a_date"
        case tooLong = "too_long", unknownVersion = "unknown_version", other
    }

}
