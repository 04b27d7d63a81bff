/// What is wrong with one question or answer, named by its key so a form can show it in place.
public struct IntakeError: Error, Sendable, Hashable {
    public var key: String
    public var reason: String

    public init(_ key: String, _ reason: String) {
        self.key = key
        self.reason = reason
    }

    /// What kind of fault an answer has, so a page can say it in the reader's language.
    public enum Kind: String, Sendable, CaseIterable {
        case required, notAnOption = "not_an_option", notYesNo = "not_yes_no", notANumber = "not_a_number", notADate = "not_a_date"
        case tooLong = "too_long", unknownVersion = "unknown_version", other
    }

    /// The kind of fault behind a reason worded here (the API passes the reason on; a page rewords it).
    public static func kind(ofReason reason: String) -> Kind {
        let starts: [(String, Kind)] = [
            ("is required", .required), ("must be one of", .notAnOption), ("must be yes or no", .notYesNo), ("must be a number", .notANumber),
            ("must be a date", .notADate), ("must be at most", .tooLong), ("names no known product version", .unknownVersion),
        ]
        return starts.first { reason.hasPrefix($0.0) }?.1 ?? .other
    }
}
