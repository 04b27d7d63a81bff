import Fluent
import Prometheus
import SQLKit
import Vapor

/// `/healthz`, `/metrics` and the OpenAPI document.
struct OperationsController: RouteCollection {
    let openAPIDocument: Data

    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        routes.get("metrics", use: metrics)
        routes.get("api", "v1", "openapi.json", use: openAPI)
    }

    struct Health: Content {
        var status: String
        var database: String
    }

    @Sendable func health(req: Request) async throws -> Response {
        if req.application.readiness.isStopping {
            // Still answering, but a load balancer should send the work elsewhere: this instance is on its way out.
            return try await Health(status: "stopping", database: "not checked").encodeResponse(status: .serviceUnavailable, for: req)
        }
        if req.store.gate.logSync?.failure != nil {
            req.logger.error("health check failed: the database log could not be made durable")
            return try await Health(status: "failing", database: "log not durable").encodeResponse(status: .serviceUnavailable, for: req)
        }
        do {
            try await req.store.ping()
            return try await Health(status: "ok", database: "ok").encodeResponse(for: req)
        } catch {
            req.logger.error("health check failed: database unreachable")
            return try await Health(status: "failing", database: "unreachable").encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    @Sendable func metrics(req: Request) async throws -> Response {
        let registry = req.casebook.metrics
        do {
            try await OperationalGauges.refresh(registry, store: req.store, now: req.casebook.clock())
        } catch {
            // The request figures are still worth answering with; the database's state shows in /healthz.
            req.logger.warning("metrics: could not read the database's gauges", metadata: ["error": "\(error)"])
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(string: registry.emitToString()))
    }

    @Sendable func openAPI(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: openAPIDocument))
    }
}
