@testable import CasebookServer
import Foundation
import Testing
import Vapor

/// Agents search by what the customer tells them: a reference, their name, their address, their company.
@Suite("Searching cases by reference and by who asked")
struct SearchByWhoTests {
    @Test("a reference with or without its prefix finds its case; a requester's name, address or organisation finds theirs; the visibility rules still hold",
          arguments: TestDatabase.all)
    func byReferenceAndPerson(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let printer = try await f.openCase(app, subject: "Printer jams", description: "Paper stuck")
            let other = try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Scanner broken", "description": "Globex"])
                .json["reference"] as? String ?? ""
            func found(_ query: String, token: String? = nil) async throws -> [String] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                let page = try await app.call(.GET, "/api/v1/cases?q=\(encoded)", token: token ?? f.agent)
                #expect(page.status == .ok, "\(page.text)")
                return ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }.sorted()
            }
            let number = String(printer.split(separator: "-").last ?? "")
            #expect(try await found(printer) == [printer])
            #expect(try await found(printer.lowercased()) == [printer])
            #expect(try await found(number) == [printer])
            #expect(try await found("[\(printer)]") == [printer])
            #expect(try await found("carla") == [printer], "the requester's name")
            #expect(try await found("carla@acme.example") == [printer], "the requester's address")
            #expect(try await found("Acme") == [printer], "the organisation's name")
            #expect(try await found("Globex") == [other])
            #expect(try await found("printer") == [printer], "text search as before")
            #expect(try await found("olga", token: f.customer) == [], "a customer never finds another organisation's cases")
            #expect(try await found(other, token: f.customer) == [])
            #expect(try await found("100%_") == [], "wildcards are text")
        }
    }
}
