import CasebookCore
import Foundation
import Vapor

/// A published flow version, with what the caller's record already answers.
struct IntakeFlowView: Content {
    var id: UUID
    var categoryID: UUID
    var version: Int
    var createdAt: Date
    var questions: [IntakeQuestion]
    /// Answers taken from the caller's record (keys of prefilled questions), shown instead of asked.
    var known: [String: IntakeAnswer]?
    /// Options for product-version questions: id and label.
    var productVersions: [VersionOption]?

    struct VersionOption: Content {
        var id: UUID
        var label: String
    }

    enum CodingKeys: String, CodingKey {
        case id, version, questions, known
        case categoryID = "category_id", createdAt = "created_at", productVersions = "product_versions"
    }

    init(_ version: IntakeRepository.Version, known: [String: IntakeAnswer]? = nil, productVersions: [VersionOption]? = nil) {
        id = version.id
        categoryID = version.categoryID
        self.version = version.version
        createdAt = version.createdAt
        questions = version.flow.questions
        self.known = known
        self.productVersions = productVersions
    }
}

/// The answers a case was filed with, beside the questions of the version that asked them.
struct CaseIntakeView: Content {
    var flowVersion: Int
    var categoryID: UUID
    var answers: [Answered]

    struct Answered: Content {
        var key: String
        var label: String
        var why: String
        var answer: String
        var prefilled: Bool
        var alreadyTried: Bool

        enum CodingKeys: String, CodingKey {
            case key, label, why, answer, prefilled
            case alreadyTried = "already_tried"
        }
    }

    enum CodingKeys: String, CodingKey {
        case answers
        case flowVersion = "flow_version", categoryID = "category_id"
    }

    init(_ filed: IntakeRepository.Filed) {
        flowVersion = filed.version.version
        categoryID = filed.version.categoryID
        answers = filed.version.flow.questions.compactMap { question in
            filed.answers[question.key].map {
                Answered(key: question.key, label: question.label, why: question.why, answer: $0.display,
                         prefilled: filed.prefilled.contains(question.key), alreadyTried: question.alreadyTried)
            }
        }
    }
}

/// Body of publishing a flow version.
struct IntakeFlowRequest: Content {
    var questions: [IntakeQuestion]
}

extension DomainError {
    /// Every intake problem, named by question key.
    static func intake(_ errors: [IntakeError], field: String) -> DomainError {
        .invalidFields(errors.map { "'\($0.key)' \($0.reason)" }.joined(separator: "; ") + ".",
                       errors.map { FieldFault(field: "\(field).\($0.key)", message: $0.reason, code: $0.kind == .other ? nil : $0.kind.rawValue) })
    }
}
