@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

/// Every role against every endpoint, including someone else's case (which must be 404, not 403).
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Who: String, CaseIterable, Sendable {
        case anonymous, customer, outsider, manager, agent, admin
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let method: HTTPMethod
        let path: String
        let body: String?
        /// Expected status for anonymous, customer, outsider, account manager, agent, admin.
        let expected: [UInt]
        var testDescription: String { "\(method.rawValue) \(path)" }
    }

    static let rows: [Row] = [
        Row(method: .GET, path: "/api/v1/cases", body: nil, expected: [401, 200, 200, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/cases", body: #"{"subject":"s","description":"d"}"#, expected: [401, 201, 201, 403, 201, 201]),
        Row(method: .GET, path: "/api/v1/cases/{ref}", body: nil, expected: [401, 200, 404, 200, 200, 200]),
        Row(method: .PATCH, path: "/api/v1/cases/{ref}", body: #"{"version":1,"priority":"normal"}"#, expected: [401, 403, 404, 403, 200, 200]),
        Row(method: .GET, path: "/api/v1/cases/{ref}/messages", body: nil, expected: [401, 200, 404, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/cases/{ref}/messages", body: #"{"text":"hello"}"#, expected: [401, 201, 404, 403, 201, 201]),
        Row(method: .POST, path: "/api/v1/cases/{ref}/messages", body: #"{"text":"psst","visibility":"internal"}"#, expected: [401, 403, 404, 403, 201, 201]),
        Row(method: .GET, path: "/api/v1/cases/{ref}/timeline", body: nil, expected: [401, 200, 404, 200, 200, 200]),
        Row(method: .GET, path: "/api/v1/cases/{ref}/attachments/{attachment}", body: nil, expected: [401, 200, 404, 200, 200, 200]),
        Row(method: .GET, path: "/api/v1/users", body: nil, expected: [401, 403, 403, 200, 200, 200]),
        Row(method: .GET, path: "/api/v1/users/{customer}", body: nil, expected: [401, 200, 404, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/users", body: #"{"email":"new-{who}@acme.example","name":"N","role":"customer"}"#, expected: [401, 403, 403, 403, 201, 201]),
        Row(method: .POST, path: "/api/v1/users", body: #"{"email":"staff-{who}@cb.example","name":"N","role":"agent"}"#, expected: [401, 403, 403, 403, 403, 201]),
        Row(method: .PATCH, path: "/api/v1/users/{customer}", body: #"{"phone":"+34 600 000 000"}"#, expected: [401, 200, 404, 403, 200, 200]),
        Row(method: .PATCH, path: "/api/v1/users/{customer}", body: #"{"role":"admin"}"#, expected: [401, 404, 404, 403, 403, 200]),
        Row(method: .GET, path: "/api/v1/organisations", body: nil, expected: [401, 403, 403, 200, 200, 200]),
        Row(method: .GET, path: "/api/v1/organisations/{org}", body: nil, expected: [401, 200, 404, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/organisations", body: #"{"name":"Org {who}"}"#, expected: [401, 403, 403, 403, 201, 201]),
        Row(method: .PATCH, path: "/api/v1/organisations/{org}", body: #"{"seats":10}"#, expected: [401, 403, 403, 403, 200, 200]),
        Row(method: .GET, path: "/api/v1/groups", body: nil, expected: [401, 403, 403, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/groups", body: #"{"name":"Group {who}"}"#, expected: [401, 403, 403, 403, 403, 201]),
        Row(method: .GET, path: "/api/v1/products", body: nil, expected: [401, 200, 200, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/products", body: #"{"name":"Product {who}"}"#, expected: [401, 403, 403, 403, 403, 201]),
        Row(method: .PATCH, path: "/api/v1/products/{product}", body: #"{"retired":false}"#, expected: [401, 403, 403, 403, 403, 200]),
        Row(method: .POST, path: "/api/v1/products/{product}/versions", body: #"{"name":"v-{who}"}"#, expected: [401, 403, 403, 403, 403, 201]),
        Row(method: .GET, path: "/api/v1/categories", body: nil, expected: [401, 200, 200, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/categories", body: #"{"name":"Category {who}"}"#, expected: [401, 403, 403, 403, 403, 201]),
        Row(method: .GET, path: "/api/v1/custom-fields", body: nil, expected: [401, 200, 200, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/custom-fields", body: #"{"key":"f_{who}","label":"F","kind":"text"}"#, expected: [401, 403, 403, 403, 403, 201]),
        Row(method: .GET, path: "/api/v1/me", body: nil, expected: [401, 200, 200, 200, 200, 200]),
        Row(method: .GET, path: "/api/v1/tokens", body: nil, expected: [401, 200, 200, 200, 200, 200]),
        Row(method: .POST, path: "/api/v1/tokens", body: #"{"name":"mine"}"#, expected: [401, 201, 201, 201, 201, 201]),
        Row(method: .POST, path: "/api/v1/tokens", body: #"{"name":"theirs","user_id":"{customer}"}"#, expected: [401, 201, 403, 403, 403, 201]),
        Row(method: .DELETE, path: "/api/v1/session", body: nil, expected: [401, 204, 204, 204, 204, 204]),
    ]

    @Test("each role gets the expected answer", arguments: rows)
    func matrix(row: Row) async throws {
        try await withCasebook(.sqlite) { app in
            let f = try await Fixture.make(app)
            let reference = try await f.openCase(app)
            let upload = try await app.call(.POST, "/api/v1/cases/\(reference)/messages", token: f.customer, json: [
                "text": "file", "attachments": [["filename": "a.txt", "data": Data("a".utf8).base64EncodedString()]],
            ])
            let attachment = ((upload.json["attachments"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
            let product = try await app.call(.POST, "/api/v1/products", token: f.admin, json: ["name": "Atlas"]).json["id"] as? String ?? ""
            let tokens: [Who: String?] = [.anonymous: nil, .customer: f.customer, .outsider: f.outsider, .manager: f.manager, .agent: f.agent, .admin: f.admin]
            for (index, who) in Who.allCases.enumerated() {
                func fill(_ text: String) -> String {
                    text.replacingOccurrences(of: "{ref}", with: reference).replacingOccurrences(of: "{org}", with: f.organisationID)
                        .replacingOccurrences(of: "{customer}", with: f.customerID).replacingOccurrences(of: "{who}", with: who.rawValue)
                        .replacingOccurrences(of: "{product}", with: product).replacingOccurrences(of: "{attachment}", with: attachment)
                }
                let response = try await app.call(row.method, fill(row.path), token: tokens[who] ?? nil, raw: row.body.map(fill))
                #expect(response.status.code == row.expected[index], "\(who.rawValue): \(response.text)")
                if response.status.code >= 400 { #expect(response.isProblem, "\(who.rawValue) gets a problem body") }
            }
        }
    }
}
