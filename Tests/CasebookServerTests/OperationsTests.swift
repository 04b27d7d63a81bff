@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Health, metrics, request ids and the OpenAPI document")
struct OperationsTests {
    @Test("healthz checks the database", arguments: TestDatabase.all)
    func health(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let response = try await app.call(.GET, "/healthz")
            #expect(response.status == .ok)
            #expect(response.json["database"] as? String == "ok")
        }
    }

    @Test("metrics count requests per route pattern, with latencies and the case count")
    func metrics() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            _ = try await f.openCase(app)
            _ = try await app.call(.GET, "/api/v1/cases/CB-10000", token: f.agent)
            let text = try await app.call(.GET, "/metrics").text
            #expect(text.contains(#"casebook_http_requests_total{method="GET",route="/api/v1/cases/:reference",status="200"} 1"#))
            #expect(text.contains("casebook_http_request_duration_seconds_bucket"))
            #expect(text.contains("casebook_cases 1"))
            #expect(text.contains(#"casebook_jobs{status="queued"}"#) && text.contains(#"casebook_jobs{status="dead"} 0"#))
            #expect(text.contains("casebook_jobs_due "), "the job backlog")
            #expect(text.contains("casebook_search_pending "), "search entries waiting for the index (SQLite)")
            #expect(!text.contains("CB-10000"), "raw paths never become labels")
        }
    }

    @Test("metrics show SQLite's single writer: writes per transaction, time waited and time held")
    func writerMetrics() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            func count(_ name: String, in text: String) -> Double? {
                text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
            }
            let before = try await app.call(.GET, "/metrics").text
            for _ in 0..<3 { _ = try await f.openCase(app) }
            let text = try await app.call(.GET, "/metrics").text
            let transactions = try #require(count("casebook_write_transaction_seconds_count", in: text))
            let writes = try #require(count("casebook_write_queue_wait_seconds_count", in: text))
            #expect(transactions - (count("casebook_write_transaction_seconds_count", in: before) ?? 0) >= 3, "each case a transaction at least")
            #expect(writes - (count("casebook_write_queue_wait_seconds_count", in: before) ?? 0) >= 3, "each case's write passed the queue")
            #expect((count("casebook_write_transaction_seconds_sum", in: text) ?? 0) > 0, "holding the writer takes time")
            #expect(text.contains(#"casebook_write_batch_size_writes_bucket{le="1.0"}"#) || text.contains(#"casebook_write_batch_size_writes_bucket{le="1"}"#))
        }
    }

    @Test("every answer carries a request id, and a sane incoming one is kept")
    func requestID() async throws {
        try await withCasebook(.sqlite) { app in
            let plain = try await app.call(.GET, "/healthz")
            #expect(plain.headers.first(name: "X-Request-ID")?.isEmpty == false)
            let given = try await app.call(.GET, "/healthz", headers: [("X-Request-ID", "trace-123")])
            #expect(given.headers.first(name: "X-Request-ID") == "trace-123")
            let evil = try await app.call(.GET, "/healthz", headers: [("X-Request-ID", "a b\u{7}c")])
            let replaced = evil.headers.first(name: "X-Request-ID") ?? ""
            #expect(!replaced.contains(" ") && !replaced.isEmpty)
        }
    }

    @Test("a request id is sane when it is 1 to 128 ASCII letters, digits and - _ . :")
    func saneRequestIDs() {
        for good in ["trace-123", "A.b_c:d-9", String(repeating: "x", count: 128), UUID().uuidString] {
            #expect(RequestIDMiddleware.isSane(good), "\(good)")
        }
        for bad in ["", String(repeating: "x", count: 129), "a b", "tab\tid", "é", "١٢٣", "ｘ", "id\r\n", "a/b", "a\u{7}b"] {
            #expect(!RequestIDMiddleware.isSane(bad), "\(bad)")
        }
    }

    @Test("the OpenAPI document lists exactly the routes the app serves")
    func openAPIMatchesRoutes() async throws {
        try await withCasebook(.sqlite) { app in
            let response = try await app.call(.GET, "/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = response.json
            #expect((document["openapi"] as? String)?.hasPrefix("3.1") == true)
            let paths = document["paths"] as? [String: [String: Any]] ?? [:]
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "patch", "put", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            var served = Set<String>()
            // The console, portal and admin pages are HTML for people, not API: they are tested in a browser instead.
            for route in app.routes.all where !WebSetup.isPage(route.path.first?.description ?? "") {
                let path = "/" + route.path.map { component -> String in
                    if case let .parameter(name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                served.insert("\(route.method.rawValue) \(path)")
            }
            #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
            for (path, operations) in paths {
                for (method, operation) in operations {
                    let op = operation as? [String: Any] ?? [:]
                    #expect(op["operationId"] != nil, "\(method) \(path) has an operationId")
                    #expect((op["responses"] as? [String: Any])?.isEmpty == false, "\(method) \(path) documents its responses")
                }
            }
        }
    }
}
