/// What sort of answer a question takes, which decides how it is asked and checked.
public enum IntakeQuestionKind: String, Sendable, Codable, CaseIterable {
    case text
    case choice
    case yesNo = "yes_no"
    case number
    case date
    case file
    case productVersion = "product_version"
}
