import Foundation
import NIOConcurrencyHelpers
import NIOPosix
import Vapor

/// A real HTTP receiver on loopback for webhook tests: records what arrives, and can fail, stall or redirect.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let path: String
        let headers: HTTPHeaders
        let body: Data

        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
        var event: String? { headers.first(name: "Casebook-Event") }
        /// The case's version in a case event's payload (0 for others).
        var version: Int { (((json["data"] as? [String: Any])?["case"] as? [String: Any])?["version"] as? Int) ?? 0 }
    }

    private let app: Application
    private let received = NIOLockedValueBox<[Received]>([])
    let port: Int

    private init(app: Application, port: Int) {
        self.app = app
        self.port = port
    }

    /// Starts a receiver: `/ok/*` answers 200, `/fail` 500, `/slow` answers after `stall` seconds, `/redirect` 302s to `/ok/redirected`.
    static func start(stall: Double = 3) async throws -> WebhookReceiver {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .critical
        let box = NIOLockedValueBox<WebhookReceiver?>(nil)
        let record: @Sendable (Request) async throws -> Void = { req in
            let body = req.body.data.map { Data(buffer: $0) } ?? Data()
            box.withLockedValue { $0 }?.received.withLockedValue { $0.append(Received(path: req.url.path, headers: req.headers, body: body)) }
        }
        app.routes.defaultMaxBodySize = "1mb"
        app.post("ok", "**") { req async throws -> HTTPStatus in try await record(req); return .ok }
        app.post("fail") { req async throws -> Response in
            try await record(req)
            return Response(status: .internalServerError, body: .init(string: "boom: the receiver is broken"))
        }
        app.post("slow") { req async throws -> HTTPStatus in
            try await record(req)
            try await Task.sleep(for: .milliseconds(Int(stall * 1000)))
            return .ok
        }
        app.post("redirect") { req async throws -> Response in
            try await record(req)
            return req.redirect(to: "/ok/redirected", redirectType: .temporary)
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        let receiver = WebhookReceiver(app: app, port: app.http.server.shared.localAddress?.port ?? 0)
        box.withLockedValue { $0 = receiver }
        return receiver
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var all: [Received] { received.withLockedValue { $0 } }

    func at(_ path: String) -> [Received] { all.filter { $0.path == path } }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress?.port ?? 1
        try channel.close().wait()
        return port
    }
}
