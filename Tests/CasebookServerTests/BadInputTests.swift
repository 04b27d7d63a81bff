@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Bad input gets a problem body and writes nothing")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let method: HTTPMethod
        let path: String
        let raw: String
        let status: HTTPStatus
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "malformed JSON", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "x", "#, status: .badRequest),
        Case(name: "missing subject", method: .POST, path: "/api/v1/cases", raw: #"{"description": "x"}"#, status: .badRequest),
        Case(name: "subject of the wrong type", method: .POST, path: "/api/v1/cases", raw: #"{"subject": 5, "description": "x"}"#, status: .badRequest),
        Case(name: "unknown priority", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "s", "description": "x", "priority": "asap"}"#, status: .badRequest),
        Case(name: "unknown member", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "s", "description": "x", "colour": "red"}"#, status: .unprocessableEntity),
        Case(name: "blank subject", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "  ", "description": "x"}"#, status: .unprocessableEntity),
        Case(name: "empty description", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "s", "description": ""}"#, status: .unprocessableEntity),
        Case(name: "unknown product", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "s", "description": "x", "product_id": "5F76D321-90FB-4795-A8BE-75C448CD304B"}"#, status: .unprocessableEntity),
        Case(name: "id that is not a UUID", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "s", "description": "x", "category_id": "abc"}"#, status: .badRequest),
        Case(name: "tier out of range", method: .POST, path: "/api/v1/cases", raw: #"{"subject": "s", "description": "x", "tier": 12}"#, status: .unprocessableEntity),
        Case(name: "a body that is an array", method: .POST, path: "/api/v1/cases", raw: #"[1, 2]"#, status: .badRequest),
        Case(name: "bad email for a person", method: .POST, path: "/api/v1/users", raw: #"{"email": "nope", "name": "N", "role": "customer"}"#, status: .unprocessableEntity),
        Case(name: "unknown role", method: .POST, path: "/api/v1/users", raw: #"{"email": "a@b.example", "name": "N", "role": "wizard"}"#, status: .badRequest),
        Case(name: "bad time zone", method: .POST, path: "/api/v1/users", raw: #"{"email": "a@b.example", "name": "N", "role": "customer", "time_zone": "Mars/Olympus"}"#, status: .unprocessableEntity),
    ]

    @Test("each bad create is refused with a problem and leaves the tables as they were", arguments: cases)
    func refused(example: Case) async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let casesBefore = try await rowCount(app, "cases")
            let usersBefore = try await rowCount(app, "users")
            let response = try await app.call(example.method, example.path, token: f.admin, raw: example.raw)
            #expect(response.status == example.status, "\(response.text)")
            #expect(response.isProblem)
            #expect((response.json["detail"] as? String)?.isEmpty == false)
            #expect(try await rowCount(app, "cases") == casesBefore)
            #expect(try await rowCount(app, "users") == usersBefore)
            #expect(try await rowCount(app, "timeline_entries") == 0)
        }
    }

    @Test("of several unknown members the first by name is reported; known members of every kind pass")
    func unknownMembersNamed() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let response = try await app.call(.POST, "/api/v1/cases", token: f.admin,
                                              raw: #"{"zeta": 1, "subject": "s", "description": "x", "colour": "red"}"#)
            #expect(response.status == .unprocessableEntity && response.isProblem)
            #expect((response.json["detail"] as? String)?.contains("'colour'") == true, "\(response.text)")
            let known = try await app.call(.POST, "/api/v1/cases", token: f.admin, raw: """
                {"subject": "s", "description": "x", "description_html": "<p>x</p>", "type": "incident", "priority": "high",
                 "tier": 2, "tags": ["a"], "custom_fields": {}, "intake_answers": {}, "channel": "phone"}
                """)
            #expect(known.status == .created, "\(known.text)")
        }
    }

    @Test("an invalid status move is refused and changes nothing", arguments: TestDatabase.all)
    func invalidTransition(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let entries = try await rowCount(app, "timeline_entries")
            let response = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["version": 1, "status": "closed", "priority": "urgent"])
            #expect(response.status == .unprocessableEntity && response.isProblem)
            let now = try await app.call(.GET, "/api/v1/cases/\(reference)", token: f.agent)
            #expect(now.json["status"] as? String == "new" && now.json["priority"] as? String == "normal" && now.json["version"] as? Int == 1)
            #expect(try await rowCount(app, "timeline_entries") == entries)
        }
    }

    @Test("unknown references and ids are 404 problems")
    func unknownIDs() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            for path in ["/api/v1/cases/CB-99999", "/api/v1/cases/XX-10000", "/api/v1/cases/nonsense", "/api/v1/cases/CB-99999/messages",
                         "/api/v1/users/5F76D321-90FB-4795-A8BE-75C448CD304B", "/api/v1/organisations/not-an-id", "/api/v1/nowhere"] {
                let response = try await app.call(.GET, path, token: f.admin)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.isProblem, "\(path)")
            }
        }
    }

    @Test("bad search parameters are 400 problems", arguments: [
        "status=lost", "limit=0", "limit=500", "sort=colour", "cursor=garbage", "created_after=yesterday", "assignee_id=bob", "frobnicate=1",
    ])
    func badSearch(query: String) async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let response = try await app.call(.GET, "/api/v1/cases?\(query)", token: f.agent)
            #expect(response.status == .badRequest && response.isProblem)
        }
    }

    @Test("oversize bodies and attachments are refused with 413 and nothing is stored")
    func oversize() async throws {
        try await withCasebook(.sqlite, configure: { $0.maxAttachmentBytes = 2048; $0.maxRequestBytes = 4096 }) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let messages = try await rowCount(app, "messages")
            let big = Data(repeating: 0x41, count: 4096).base64EncodedString()
            let response = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.agent, json: [
                "text": "see attached", "attachments": [["filename": "dump.bin", "data": big]],
            ])
            #expect(response.status == .payloadTooLarge && response.isProblem)
            #expect(try await rowCount(app, "messages") == messages)
            #expect(try await rowCount(app, "attachments") == 0)

            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            let port = app.http.server.shared.localAddress?.port ?? 0
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/users")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(f.admin)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"email":"x@y.example","name":""# + String(repeating: "n", count: 10_000) + #"","role":"customer"}"#))
            let answer = try await client.execute(request, timeout: .seconds(10))
            #expect(answer.status == .payloadTooLarge)
            #expect(answer.headers.first(name: "Content-Type")?.hasPrefix("application/problem+json") == true)
            try await client.shutdown()
            await app.server.shutdown()
        }
    }
}

@Suite("Bad headers and identifiers")
struct BadHeaderTests {
    @Test("a malformed Idempotency-Key, If-Match or id is refused with a problem and writes nothing")
    func headers() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let cases = try await rowCount(app, "cases")
            let longKey = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: ["subject": "s", "description": "d"],
                                             headers: [("Idempotency-Key", String(repeating: "k", count: 300))])
            #expect(longKey.status == .badRequest && longKey.isProblem)
            let spacedKey = try await app.call(.POST, "/api/v1/cases", token: f.agent, json: ["subject": "s", "description": "d"],
                                               headers: [("Idempotency-Key", "two words")])
            #expect(spacedKey.status == .badRequest)
            #expect(try await rowCount(app, "cases") == cases)
            let garbageMatch = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, json: ["priority": "high"],
                                                  headers: [("If-Match", "\"banana\"")])
            #expect(garbageMatch.status == .preconditionRequired && garbageMatch.isProblem)
            let badID = try await app.call(.PATCH, "/api/v1/users/not-a-uuid", token: f.admin, json: ["name": "x"])
            #expect(badID.status == .notFound && badID.isProblem)
            let emptyBody = try await app.call(.PATCH, "/api/v1/cases/\(reference)", token: f.agent, raw: "")
            #expect(emptyBody.status.code >= 400 && emptyBody.status.code < 500 && emptyBody.isProblem)
            let otherToken = try await app.call(.DELETE, "/api/v1/tokens/\(UUID().uuidString)", token: f.agent)
            #expect(otherToken.status == .notFound)
        }
    }
}

@Suite("Bad organisation and inbound input")
struct BadOrganisationAndMailTests {
    @Test("organisation writes with bad values are refused and change nothing", arguments: [
        #"{"name":"Bad domain","domain":"not a domain"}"#,
        #"{"name":"Bad seats","seats":-1}"#,
        #"{"name":"   "}"#,
        #"{"name":"Bad manager","account_manager_id":"{customer}"}"#,
        #"{"name":"Unknown manager","account_manager_id":"5F76D321-90FB-4795-A8BE-75C448CD304B"}"#,
        #"{"name":"Acme"}"#,
    ])
    func organisations(body: String) async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let before = try await rowCount(app, "organisations")
            let created = try await app.call(.POST, "/api/v1/organisations", token: f.admin,
                                             raw: body.replacingOccurrences(of: "{customer}", with: f.customerID))
            #expect(created.status.code >= 400 && created.status.code < 500 && created.isProblem, "\(created.text)")
            #expect(try await rowCount(app, "organisations") == before)
            let patched = try await app.call(.PATCH, "/api/v1/organisations/\(f.organisationID)", token: f.admin,
                                             raw: body.replacingOccurrences(of: "{customer}", with: f.customerID))
            if patched.status == .ok {
                // Renaming to an existing name or a valid value is fine; the bad ones must not pass.
                #expect(body.contains("Acme"))
            } else {
                #expect(patched.isProblem)
                let now = try await app.call(.GET, "/api/v1/organisations/\(f.organisationID)", token: f.admin).json
                #expect(now["name"] as? String == "Acme" && now["seats"] as? Int == 0)
            }
        }
    }

    @Test("an inbound message over the size limit is refused before anything is stored")
    func oversizeMail() async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let huge = "Subject: big\r\nFrom: a@acme.example\r\n\r\n" + String(repeating: "x", count: ReceiveEmail.maxBytes)
            let refused = try await app.call(.POST, "/api/v1/inbound/email", token: f.admin, raw: huge)
            #expect(refused.status == .payloadTooLarge && refused.isProblem)
            #expect(try await rowCount(app, "inbound_messages") == 0)
        }
    }
}

@Suite("Races on unique values")
struct UniqueRaceTests {
    @Test("simultaneous creates of the same person: one is created, the rest get 409, never a 500", arguments: TestDatabase.all)
    func sameEmail(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await app.call(.POST, "/api/v1/users", token: f.admin,
                                           json: ["email": "twin@acme.example", "name": "Twin", "role": "customer"]).status.code
                    }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 }, "\(statuses)")
        }
    }
}
