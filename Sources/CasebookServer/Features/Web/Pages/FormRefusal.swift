import CasebookCore
import Foundation
import Vapor

/// A page form refused for what was typed: shown again beside the form with the reason, where any other failure
/// (a missing case, our own fault) is an error page.
enum FormRefusal {
    /// Whether the error is the input's fault; `conflicts` counts a clash with what is stored (an address taken) as one too.
    static func isInputFault(_ error: any Error, conflicts: Bool = false) -> Bool {
        switch error {
        case is CaseRuleError, is DecodingError: return true
        case let error as DomainError:
            switch error {
            case .invalid, .invalidFields, .malformed: return true
            case .conflict: return conflicts
            default: return false
            }
        case let problem as Problem:
            return [.unprocessableEntity, .badRequest].contains(problem.status) || (conflicts && problem.status == .conflict)
        default: return false
        }
    }

    /// "Requester: names nobody we know …", with the page's own word for the field (`labels` maps a field to a catalog key).
    static func message(for error: any Error, labels: [String: String], req: Request) -> (text: String, status: HTTPStatus) {
        let problem = ProblemMiddleware.problem(for: error, request: req)
        let status: HTTPStatus = problem.status == .conflict ? .conflict : .unprocessableEntity
        let words = FaultText(req)
        if case let CaseRuleError.invalidTransition(from, to) = error { return (words.transition(from: from, to: to), status) }
        guard let fault = problem.fieldErrors.first else { return (words.message(problem.detail), status) }
        let label = labels[fault.field].map { req.text($0, fault.field) } ?? fault.field
        return (words.sentence(field: fault.field, label: label, message: fault.message), status)
    }
}
