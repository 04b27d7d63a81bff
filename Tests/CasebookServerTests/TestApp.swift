@testable import CasebookServer
import Foundation
import NIOCore
import NIOConcurrencyHelpers
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient
import VaporTesting

/// The databases a server test runs on: SQLite always, PostgreSQL when `CASEBOOK_TEST_POSTGRES_URL` is set.
enum TestDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    static var all: [TestDatabase] {
        ProcessInfo.processInfo.environment["CASEBOOK_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

/// Builds a migrated app on a fresh database, runs `body`, then tears everything down.
/// With `logFlush`, SQLite runs with `synchronous = full` and the log's sync after each commit calls it.
func withCasebook(_ database: TestDatabase, clock: TestClock? = nil, configure: (inout CasebookConfiguration) -> Void = { _ in },
                  logFlush: (@Sendable (Int32) -> Int32)? = nil, _ body: (Application) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-test-\(UUID().uuidString)").path
    var configuration = CasebookConfiguration()
    configuration.dataDirectory = directory
    configuration.bcryptCost = 4
    configuration.sqliteSynchronous = logFlush == nil ? "normal" : "full"
    configuration.runsJobs = false
    configuration.rehearsesWrites = ProcessInfo.processInfo.environment["CASEBOOK_TEST_REHEARSE_WRITES"] == "1"
    configuration.databasePoolTimeoutSeconds = 120
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    switch database {
    case .sqlite:
        configuration.database = .sqlite(path: directory + "/casebook.sqlite")
    case .postgres:
        configuration.database = .postgres(url: ProcessInfo.processInfo.environment["CASEBOOK_TEST_POSTGRES_URL"]!, schema: String(schema))
    }
    configure(&configuration)
    var now: @Sendable () -> Date = { Foundation.Date.millisecondNow() }
    if let clock { now = clock.function }
    let app = try await CasebookApp.make(configuration, environment: .testing, clock: now, logFlush: logFlush ?? { fdatasync($0) })
    do {
        try await body(app)
    } catch {
        await cleanUp(app, database: database, schema: String(schema), directory: directory)
        throw error
    }
    await cleanUp(app, database: database, schema: String(schema), directory: directory)
}

private func cleanUp(_ app: Application, database: TestDatabase, schema: String, directory: String) async {
    if database == .postgres, let sql = app.db as? any SQLDatabase {
        try? await sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
    try? await app.asyncShutdown()
    try? FileManager.default.removeItem(atPath: directory)
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let box: NIOLockedValueBox<Date>
    init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { box = NIOLockedValueBox(start) }
    var now: Date { box.withLockedValue { $0 } }
    func advance(_ seconds: TimeInterval) { box.withLockedValue { $0 = $0.addingTimeInterval(seconds) } }
    func set(_ date: Date) { box.withLockedValue { $0 = date } }
    var function: @Sendable () -> Date { { self.now } }
}

/// A response with its JSON body parsed for easy assertions.
struct APIResponse {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let body: Data

    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    var list: [[String: Any]] { ((try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]]) ?? [] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var isProblem: Bool { headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true && json["status"] as? Int == Int(status.code) }
}

extension Application {
    /// Sends a request through the whole middleware stack.
    /// Every API answer is checked against the OpenAPI document (see `OpenAPIResponseCheck`); a mismatch fails the test.
    func call(_ method: HTTPMethod, _ path: String, token: String? = nil, json: Any? = nil, raw: String? = nil, data: Data? = nil,
              headers extra: [(String, String)] = []) async throws -> APIResponse {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        var body: ByteBuffer?
        if let json {
            headers.contentType = .json
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            headers.contentType = .json
            body = ByteBuffer(string: raw)
        } else if let data {
            body = ByteBuffer(data: data)
        }
        for (name, value) in extra { headers.replaceOrAdd(name: name, value: value) }
        let response = try await testing().sendRequest(method, path, headers: headers, body: body)
        let answer = APIResponse(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        if method != .HEAD && method != .OPTIONS {
            for violation in OpenAPIResponseCheck.violations(method: method.rawValue, path: path, status: answer.status.code,
                                                             contentType: answer.headers.first(name: .contentType), body: answer.body) {
                Issue.record("The answer disagrees with the OpenAPI document: \(violation)")
            }
        }
        return answer
    }
}

/// People and records most tests need: two organisations and one person per role.
struct Fixture {
    let admin: String
    let agent: String
    let manager: String
    let customer: String
    let colleague: String
    let outsider: String
    let customerID: String
    let agentID: String
    let organisationID: String
    let otherOrganisationID: String

    static func make(_ app: Application, sharing: Bool = false) async throws -> Fixture {
        _ = try await AdminOperations.addUser(app, email: "admin@cb.example", name: "Admin", role: "admin", organisation: nil, password: "admin-password")
        let admin = try await AdminOperations.issueToken(app, email: "admin@cb.example", name: "t")
        let org = try await app.call(.POST, "/api/v1/organisations", token: admin, json: ["name": "Acme", "domain": "acme.example", "shares_cases": sharing])
        let other = try await app.call(.POST, "/api/v1/organisations", token: admin, json: ["name": "Globex"])
        let orgID = org.json["id"] as! String
        let otherID = other.json["id"] as! String
        func person(_ email: String, _ role: String, _ organisation: String?) async throws -> (String, String) {
            var body: [String: Any] = ["email": email, "name": email.components(separatedBy: "@")[0], "role": role, "password": "a-good-password"]
            if let organisation { body["organisation_id"] = organisation }
            let created = try await app.call(.POST, "/api/v1/users", token: admin, json: body)
            guard created.status == .created else { throw FixtureError(message: created.text) }
            return (try await AdminOperations.issueToken(app, email: email, name: "t"), created.json["id"] as! String)
        }
        let (agent, agentID) = try await person("agent@cb.example", "agent", nil)
        let (manager, _) = try await person("am@cb.example", "account_manager", nil)
        let (customer, customerID) = try await person("carla@acme.example", "customer", orgID)
        let (colleague, _) = try await person("colin@acme.example", "customer", orgID)
        let (outsider, _) = try await person("olga@globex.example", "customer", otherID)
        return Fixture(admin: admin, agent: agent, manager: manager, customer: customer, colleague: colleague, outsider: outsider,
                       customerID: customerID, agentID: agentID, organisationID: orgID, otherOrganisationID: otherID)
    }

    /// Opens a case as the customer and returns its reference.
    func openCase(_ app: Application, subject: String = "Printer jams on tray 2", description: String = "It jams every morning; we tried a new toner.") async throws -> String {
        let response = try await app.call(.POST, "/api/v1/cases", token: customer, json: ["subject": subject, "description": description])
        guard response.status == .created else { throw FixtureError(message: response.text) }
        return response.json["reference"] as! String
    }
}

/// Counts rows in a table, to prove a refused request wrote nothing.
func rowCount(_ app: Application, _ table: String) async throws -> Int {
    let sql = app.db as! any SQLDatabase
    guard let row = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first() else { throw FixtureError(message: "no count for \(table)") }
    return try row.decode(column: "n", as: Int.self)
}

/// A fixture step the server refused.
struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A second instance on the same database as `first` (as a second server behind a load balancer would be), with a data
/// directory of its own, booted, and shut down after `body`.
func withSecondInstance(of first: Application, _ body: (Application) async throws -> Void) async throws {
    var configuration = first.casebook.configuration
    configuration.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-second-\(UUID().uuidString)").path
    let second = try await CasebookApp.make(configuration, environment: .testing)
    defer { try? FileManager.default.removeItem(atPath: configuration.dataDirectory) }
    do {
        try await second.asyncBoot()
        try await body(second)
    } catch {
        try? await second.asyncShutdown()
        throw error
    }
    try await second.asyncShutdown()
}
