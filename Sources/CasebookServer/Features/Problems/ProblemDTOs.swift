import CasebookCore
import Vapor

/// A problem as the API shows it: its cause, workaround, planned fix and linked cases.
struct ProblemView: Content {
    var id: UUID
    var title: String
    var status: ProblemStatus
    var rootCause: String?
    var workaround: String?
    var productID: UUID?
    var fixVersionID: UUID?
    var fixVersion: String?
    var createdAt: Date
    var updatedAt: Date
    var fixReleasedAt: Date?
    var cases: [LinkedCase]?

    struct LinkedCase: Content {
        var reference: String
        var subject: String
        var status: String
        var organisationID: UUID?
        var choice: ProblemChoice?
        var fixNotifiedAt: Date?

        enum CodingKeys: String, CodingKey {
            case reference, subject, status, choice
            case organisationID = "organisation_id", fixNotifiedAt = "fix_notified_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, status, workaround, cases
        case rootCause = "root_cause", productID = "product_id", fixVersionID = "fix_version_id", fixVersion = "fix_version"
        case createdAt = "created_at", updatedAt = "updated_at", fixReleasedAt = "fix_released_at"
    }
}

/// A new problem or a change to one; absent fields stay as they are.
struct ProblemWrite: Content {
    var title: String?
    var status: ProblemStatus?
    var rootCause: String?
    var workaround: String?
    var productID: UUID?
    var fixVersionID: UUID?
    var cases: [String]?

    enum CodingKeys: String, CodingKey {
        case title, status, workaround, cases
        case rootCause = "root_cause", productID = "product_id", fixVersionID = "fix_version_id"
    }
}
