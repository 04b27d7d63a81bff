import AsyncKit
import CasebookCore
import PostgresNIO
import SQLiteNIO
import Vapor

/// Turns every error into an RFC 9457 problem body; unknown errors become a 500 without details.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            // A browser that asked for a page no route knows (or one outside the pages' own handling) gets a page too.
            if WebErrorPage.wantsPage(request), let page = try? await WebErrorPage.response(for: error, request: request) {
                WebSecurityHeaders.apply(to: page, for: request)
                return page
            }
            let problem = Self.problem(for: error, request: request)
            return Self.response(for: problem, request: request)
        }
    }

    static func response(for problem: Problem, request: Request) -> Response {
        let problem = ProblemLanguage.localized(problem, for: request)
        var headers = problem.headers
        headers.contentType = HTTPMediaType(type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
        let data = (try? ContentConfiguration.jsonEncoder.encode(ProblemBody(problem: problem, instance: request.url.path))) ?? Data("{}".utf8)
        return Response(status: problem.status, headers: headers, body: .init(data: data))
    }

    static func problem(for error: any Error, request: Request) -> Problem {
        if let known = Problem.from(error) { return known }
        switch error {
        case is LogSyncError:
            // Logged where it happened; the caller may retry once Casebook has restarted (an Idempotency-Key makes that safe).
            return Problem(status: .serviceUnavailable, slug: "unavailable", title: "Service unavailable",
                           detail: "Casebook cannot make writes durable on its disk, so it accepts none until it is restarted.")
        case is ConnectionPoolTimeoutError:
            // Every database connection stayed busy for the whole wait: the server is overloaded, not broken.
            var problem = Problem(status: .serviceUnavailable, slug: "unavailable", title: "Service busy",
                                  detail: "Casebook is too busy to take this request now; try again shortly.")
            problem.headers.replaceOrAdd(name: .retryAfter, value: "5")
            return problem
        case let abort as any AbortError:
            var problem = Problem(status: abort.status, slug: slug(for: abort.status), title: abort.status.reasonPhrase,
                                  detail: abort.reason)
            if abort.status == .payloadTooLarge {
                problem = Problem(status: .payloadTooLarge, slug: "too-large", title: "Request too large",
                                  detail: "The request body is larger than this endpoint accepts.")
            }
            problem.headers = abort.headers
            return problem
        case let database as PSQLError where database.serverInfo?[.sqlState] == "23505":
            // Two requests raced past the "already exists" check; the unique index stopped the second.
            return Problem.conflict("That already exists (\(database.serverInfo?[.constraintName] ?? "a unique value")).")
        case let database as SQLiteError where database.reason == .constraintUniqueFailed || database.reason == .constraintPrimaryKeyFailed:
            return Problem.conflict("That already exists.")
        default:
            request.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Problem(status: .internalServerError, slug: "internal", title: "Internal error",
                           detail: "Something went wrong on our side; the request id is \(request.id).")
        }
    }

    /// A field's fault is its predicate ("is required"), as every other field fault is, so a page can word it itself.
    static func problem(for rule: CaseRuleError) -> Problem {
        let (field, message): (String, String)
        switch rule {
        case .invalidTransition: (field, message) = ("status", rule.message)
        case let .invalidField(name, reason): (field, message) = (name, reason)
        case let .missingField(name): (field, message) = (name, "is required")
        case let .unknownField(name): (field, message) = (name, "is not defined")
        }
        return Problem(status: .unprocessableEntity, slug: "validation", title: "Invalid request", detail: rule.message,
                       fieldErrors: [.init(field: field, message: message)])
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let rendered = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return rendered.replacingOccurrences(of: ".[", with: "[")
        }
        let field: String
        let message: String
        switch error {
        case let .typeMismatch(type, context):
            field = path(context)
            message = "has the wrong type (expected \(describe(type)))"
        case let .valueNotFound(type, context):
            field = path(context)
            message = "must not be null (expected \(describe(type)))"
        case let .keyNotFound(key, context):
            field = path(context, key)
            message = "is required"
        case let .dataCorrupted(context):
            field = path(context)
            message = context.underlyingError == nil && !field.isEmpty ? context.debugDescription : "is not valid JSON"
        @unknown default:
            field = ""
            message = "could not be read"
        }
        let detail = field.isEmpty ? "The request body \(message)." : "Field '\(field)' \(message)."
        return Problem(status: .badRequest, slug: "bad-request", title: "Bad request", detail: detail,
                       fieldErrors: field.isEmpty ? [] : [.init(field: field, message: message)])
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".contains("Array") ? "an array" : "an object or value of the documented type"
        }
    }

    private static func slug(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "bad-request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not-found"
        case 405: "method-not-allowed"
        case 409: "conflict"
        case 413: "too-large"
        case 415: "unsupported-media-type"
        case 422: "validation"
        case 429: "too-many-requests"
        default: "http-\(status.code)"
        }
    }
}
