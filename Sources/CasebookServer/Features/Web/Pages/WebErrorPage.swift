import Vapor

/// A page's refusal or failure shown as a page in the visitor's language, not as a JSON body, with the same
/// headers as every page. Scripts that ask for JSON (presence, live updates) still get the problem body.
enum WebErrorPage {
    struct Context: Encodable {
        var page: PageChrome
        var heading: String
        var message: String
    }

    /// Whether a failure of this request is shown as a page: a browser asking for HTML, anywhere but the API.
    static func wantsPage(_ request: Request) -> Bool {
        !request.url.path.hasPrefix("/api/") && request.headers.accept.contains { $0.mediaType == .html }
    }

    static func response(for error: any Error, request: Request) async throws -> Response {
        let problem = ProblemMiddleware.problem(for: error, request: request)
        guard wantsPage(request) else { return ProblemMiddleware.response(for: problem, request: request) }
        let code = problem.status.code
        let key = [400, 403, 404, 413, 429].contains(code) ? "error_\(code)" : (code >= 500 ? "error_500" : "error_other")
        let heading = request.text(key, problem.title)
        // Details of our own failures stay in the log; the visitor gets the request id to quote.
        let message = code >= 500 ? request.text("error_500_detail", "Something went wrong on our side. Tell us this reference:") + " " + request.id : FaultText(request).message(problem.detail)
        let context = Context(page: request.chrome(heading, area: "error"), heading: heading, message: message)
        let response = try await request.view.render("error", context).encodeResponse(status: problem.status, for: request)
        for (name, value) in problem.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}
