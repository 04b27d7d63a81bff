import CasebookCore
import Vapor

/// The one mapping from errors that know nothing of HTTP to the problems the API answers with.
extension Problem {
    init(_ error: DomainError) {
        switch error {
        case let .invalid(field, message): self = .invalid(field, message)
        case let .invalidFields(summary, faults):
            self = Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request", detail: summary,
                           fieldErrors: faults.map { FieldError(field: $0.field, message: $0.message, code: $0.code) })
        case let .notFound(what): self = .notFound(what)
        case let .conflict(detail): self = .conflict(detail)
        case let .forbidden(detail): self = .forbidden(detail)
        case let .malformed(detail): self = .badRequest(detail)
        case let .tooLarge(detail, field):
            self = Problem(status: .payloadTooLarge, slug: "too-large", title: "Request too large", detail: detail,
                           fieldErrors: field.map { [FieldError(field: $0, message: "is larger than this accepts")] } ?? [])
        }
    }

    /// The problem for an error Casebook knows, or nil for an unexpected one (a 500, logged where it is answered).
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem: problem
        case let domain as DomainError: Problem(domain)
        case let rule as CaseRuleError: ProblemMiddleware.problem(for: rule)
        case let rule as ServiceLevelError:
            Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request", detail: rule.description)
        case let rule as RuleFieldError:
            Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request", detail: rule.description,
                    fieldErrors: [.init(field: rule.path, message: rule.description)])
        case let rule as RuleError:
            Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request", detail: rule.description)
        case let rule as MaintenanceError:
            Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request", detail: rule.description)
        case let payload as AlertPayloadError:
            Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid alert", detail: payload.description)
        case let audio as WAVError:
            Problem(status: .unprocessableEntity, slug: "validation", title: "Unusable recording", detail: audio.description)
        case let decoding as DecodingError: ProblemMiddleware.problem(for: decoding)
        default: nil
        }
    }

    /// What a person reads about an error: the problem's detail, or the error's own words for an unexpected one.
    static func reason(_ error: any Error) -> String {
        from(error)?.detail ?? String(describing: error)
    }
}
