import CasebookCore
import Foundation
import NIOCore
import Vapor

/// Calls Casebook's own JSON API for a page, as the signed-in visitor, through the whole middleware stack. Pages built on
/// it apply exactly the API's rules, permissions and messages, and hold no SQL or validation of their own.
struct InProcessAPI {
    let application: Application
    /// How the calls identify their caller: the visitor's session cookie and CSRF token, or a bearer token.
    let credentials: HTTPHeaders
    let logger: Logger
    let remoteAddress: SocketAddress?
    let eventLoop: any EventLoop

    /// Calls as the visitor of this page request.
    init(req: Request) {
        var headers = HTTPHeaders()
        if let cookie = req.headers.first(name: .cookie) { headers.add(name: .cookie, value: cookie) }
        headers.add(name: CSRFProtection.header, value: CSRFProtection.token(for: req))
        self.init(application: req.application, credentials: headers, logger: req.logger, remoteAddress: req.remoteAddress, eventLoop: req.eventLoop)
    }

    /// Calls with an API token (the demo loader, other tools inside the process).
    init(application: Application, token: String) {
        self.init(application: application, credentials: ["Authorization": "Bearer \(token)"], logger: application.logger, remoteAddress: nil,
                  eventLoop: application.eventLoopGroup.any())
    }

    init(application: Application, credentials: HTTPHeaders, logger: Logger, remoteAddress: SocketAddress?, eventLoop: any EventLoop) {
        self.application = application
        self.credentials = credentials
        self.logger = logger
        self.remoteAddress = remoteAddress
        self.eventLoop = eventLoop
    }

    /// What the API answered: the JSON on success, the problem otherwise.
    struct Answer {
        var status: HTTPResponseStatus
        var json: PageJSON?
        var problem: PageProblem?

        var succeeded: Bool { (200..<300).contains(status.code) }
    }

    /// Sends one call; `path` starts with "/api/v1/", `body` is JSON (or raw text with its content type).
    func call(_ method: HTTPMethod, _ path: String, query: [String: String] = [:], json body: PageJSON? = nil,
              text: String? = nil, contentType: HTTPMediaType = .json) async throws -> Answer {
        var headers = credentials
        headers.add(name: .accept, value: "application/json")
        var buffer: ByteBuffer?
        if let body {
            buffer = ByteBuffer(data: try JSONEncoder().encode(body))
            headers.contentType = .json
        } else if let text {
            buffer = ByteBuffer(string: text)
            headers.contentType = contentType
        }
        var url = URI(path: path)
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            url.query = components.percentEncodedQuery
        }
        let sub = Request(application: application, method: method, url: url, version: .http1_1, headersNoUpdate: headers,
                          collectedBody: buffer, remoteAddress: remoteAddress, logger: logger,
                          byteBufferAllocator: application.allocator, on: eventLoop)
        let response = try await application.responder.current.respond(to: sub).get()
        let data = response.body.buffer.map { Data(buffer: $0) } ?? Data()
        if (200..<300).contains(response.status.code) {
            return Answer(status: response.status, json: data.isEmpty ? nil : PageJSON.parse(data))
        }
        return Answer(status: response.status, problem: PageProblem(status: response.status, data: data))
    }

    /// A call that must succeed, with a body written as Swift literals; a refusal is thrown with the API's message.
    @discardableResult
    func must(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil, query: [String: String] = [:]) async throws -> PageJSON {
        let json = try body.map { PageJSON.parse(try JSONSerialization.data(withJSONObject: $0)) ?? .null }
        let answer = try await call(method, path, query: query, json: json)
        if let problem = answer.problem { throw DomainError.invalid(path, problem.detail) }
        return answer.json ?? .null
    }

    /// A GET that must succeed: a refusal becomes the page's error (403, 404) as the API gave it.
    func get(_ path: String, query: [String: String] = [:]) async throws -> PageJSON {
        let answer = try await call(.GET, path, query: query)
        if let problem = answer.problem { throw problem.abort }
        return answer.json ?? .null
    }
}

/// An API problem as a page shows it: the message and which fields it names.
struct PageProblem: Sendable {
    var status: HTTPResponseStatus
    var detail: String
    var fields: [String: String]

    init(status: HTTPResponseStatus, detail: String, fields: [String: String] = [:]) {
        self.status = status
        self.detail = detail
        self.fields = fields
    }

    init(status: HTTPResponseStatus, data: Data) {
        let json = PageJSON.parse(data)
        self.status = status
        detail = json?["detail"]?.string ?? json?["title"]?.string ?? status.reasonPhrase
        var fields: [String: String] = [:]
        for error in json?["errors"]?.items ?? [] {
            if let field = error["field"]?.string, let message = error["message"]?.string { fields[field] = message }
        }
        self.fields = fields
    }

    var abort: Abort { Abort(status, reason: detail) }
}
