@testable import CasebookServer
import CasebookCore
import Foundation
import SQLKit
import Testing
import Vapor

/// On SQLite a word search looks for its page among the first cases in page order, matching only within their numbers;
/// the answers must be exactly those of collecting every match, whichever way a page is found.
@Suite("Searching within a window of the first cases")
struct SearchWindowTests {
    private static func index(_ app: Application, _ texts: [String]) async throws {
        let store = app.casebook.store
        try await store.write { db in
            for (offset, text) in texts.enumerated() {
                try await store.search.add(caseID: UUID(), caseNumber: 900_000 + offset, visibility: .public, text: text, on: store.sql(db))
            }
        }
        try await SearchIndexer.catchUp(store)
    }

    @Test("a typed word becomes the few whole words it begins; foreign, unknown or too general words do not; a short word stays itself")
    func wholeWords() async throws {
        try await withCasebook(.sqlite) { app in
            try await Self.index(app, ["gateway reboots", "two gateways down", "gatekeeper", "café crème"]
                + (1...9).map { "gate\($0) closed" })
            let sql = app.casebook.store.sql
            #expect(try await SQLiteSearchIndex.wholeWords(for: "gatew", on: sql) == ["gateway", "gateways"])
            #expect(try await SQLiteSearchIndex.wholeWords(for: "gatekeeper", on: sql) == ["gatekeeper"])
            #expect(try await SQLiteSearchIndex.wholeWords(for: "reb", on: sql) == ["reb"], "three letters use the prefix index")
            #expect(try await SQLiteSearchIndex.wholeWords(for: "gate", on: sql) == nil, "twelve words begin with it")
            #expect(try await SQLiteSearchIndex.wholeWords(for: "ga", on: sql) == ["ga"], "one or two letters match that whole word only")
            #expect(try await SQLiteSearchIndex.wholeWords(for: "café", on: sql) == nil)
            #expect(try await SQLiteSearchIndex.wholeWords(for: "zebra", on: sql) == [], "no indexed word begins so")
        }
    }

    @Test("one query's words may seek the vocabulary only so often; past that it is matched the usual way")
    func seekLimit() async throws {
        try await withCasebook(.sqlite) { app in
            // Sixteen typed words, each the beginning of three indexed ones: four seeks a word.
            let typed = (0..<16).map { String(format: "tw%02d", $0) }
            try await Self.index(app, [typed.flatMap { [$0 + "x", $0 + "y", $0 + "z"] }.joined(separator: " ")])
            let store = app.casebook.store
            let fit = SQLiteSearchIndex.seekLimit / 4
            #expect(try await store.search.windowMatch(terms: Array(typed.prefix(fit)), includeInternal: true, on: store.sql) != nil)
            #expect(try await store.search.windowMatch(terms: Array(typed.prefix(fit + 1)), includeInternal: true, on: store.sql) == nil)
            var seeks = 0
            for word in typed { _ = try await SQLiteSearchIndex.wholeWords(for: word, seeks: &seeks, on: store.sql) }
            #expect(seeks == SQLiteSearchIndex.seekLimit, "counting stops at the limit")
        }
    }

    @Test("a window matches only the cases numbered within it")
    func withinNumbers() async throws {
        try await withCasebook(.sqlite) { app in
            try await Self.index(app, (0..<20).map { "tunnel drops \($0)" })
            let store = app.casebook.store
            let match = try #require(try await store.search.windowMatch(terms: ["tunnel"], includeInternal: true, on: store.sql))
            let condition = match.condition(900_005...900_009)
            let numbers = try await store.sql.raw("""
                WITH RECURSIVE cases (number, id) AS (SELECT 899990, '' UNION ALL SELECT number + 1, '' FROM cases WHERE number < 900030)
                SELECT cases.number AS n FROM cases WHERE \(condition) ORDER BY n
                """).all().map { try $0.decode(column: "n", as: Int.self) }
            #expect(numbers == Array(900_005...900_009))
            #expect(try await store.search.windowMatch(terms: ["café"], includeInternal: true, on: store.sql) == nil)
            #expect(try await SQLiteSearchIndex.wholeWords(for: "cb", on: store.sql) == ["cb"], "a short word is matched whole, without a seek")
            #expect(try await store.search.windowMatch(terms: ["tunnel", "cb"], includeInternal: true, on: store.sql) != nil)
        }
    }

    @Test("pages of a common word, page after page, are those of collecting every match", arguments: TestDatabase.all)
    func samePages(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var gateways: [String] = []
            for n in 1...24 {
                gateways.append(try await f.openCase(app, subject: "Gateway \(n) offline", description: "Site \(n) lost its link"))
                if n % 4 == 0 { _ = try await f.openCase(app, subject: "Printer \(n) jams", description: "Tray \(n)") }
            }
            // A word only in staff notes: found by agents, never by customers.
            let noted = try await f.openCase(app, subject: "Slow portal", description: "Pages take long")
            _ = try await app.call(.POST, "/api/v1/cases/\(noted)/messages", token: f.agent, json: ["text": "Upstream gateways overloaded", "visibility": "internal"])
            if database == .sqlite {
                let store = app.casebook.store
                try await SearchIndexer.catchUp(store)
                #expect(try await SQLiteSearchIndex.wholeWords(for: "gatew", on: store.sql) == ["gateway", "gateways"])
            }
            func pages(_ query: String, token: String) async throws -> [String] {
                var found: [String] = []
                var cursor = ""
                repeat {
                    let page = try await app.call(.GET, "/api/v1/cases?q=\(query)&limit=5\(cursor)", token: token)
                    #expect(page.status == .ok, "\(page.text)")
                    found += ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
                    cursor = (page.json["next_cursor"] as? String).map { "&cursor=\($0)" } ?? ""
                } while !cursor.isEmpty && found.count < 100
                return found
            }
            #expect(try await pages("gatew", token: f.agent) == [noted] + gateways.reversed())
            #expect(try await pages("gateway%20offline", token: f.agent) == gateways.reversed())
            #expect(try await pages("gatew", token: f.customer) == gateways.reversed(), "the staff note stays hidden")
        }
    }

    @Test("a window that does not fill the page, or spans too many numbers, gives way to collecting every match", arguments: TestDatabase.all)
    func shortWalk(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var tunnels: [String] = []
            for n in 1...24 { tunnels.append(try await f.openCase(app, subject: "Tunnel \(n) drops", description: "Office \(n)")) }
            for n in 1...6 { _ = try await f.openCase(app, subject: "Printer \(n) jams", description: "Tray \(n)") }
            let agent = Actor(userID: UserID(try #require(UUID(uuidString: f.agentID))), role: .agent)
            let query = try CaseSearchQuery(raw: ["q": "tunnel", "limit": "5"], me: agent.userID.rawValue)
            let expected = tunnels.reversed().prefix(5).compactMap { Int($0.split(separator: "-").last ?? "") }
            for (size, span) in [(3, 100_000), (2_000, 100_000), (8, 100_000), (8, 2)] {
                let repository = CaseSearchRepository(services: app.casebook, windowSize: size, windowSpan: span)
                let (cases, next) = try await repository.run(query, for: agent, on: app.db)
                #expect(cases.map(\.number) == expected, "a window of \(size) cases over at most \(span) numbers")
                #expect(next != nil)
            }
            // Who asked: the requester's name or organisation, checked case by case within a window as well.
            let other = try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Tunnel at Globex", "description": "Down"])
                .json["reference"] as? String ?? ""
            let newest = try await f.openCase(app, subject: "Scanner", description: "Streaks")
            for text in ["carla", "acme"] {
                let byWho = try CaseSearchQuery(raw: ["q": text, "limit": "2"], me: agent.userID.rawValue)
                for size in [1, 2_000] {
                    let (cases, _) = try await CaseSearchRepository(services: app.casebook, windowSize: size).run(byWho, for: agent, on: app.db)
                    // The newest of the requester's cases, then the last printer (opened before the outsider's case).
                    #expect(cases.map(\.number) == [Self.number(newest), Self.number(tunnels.last ?? "") + 6], "\(text) in a window of \(size)")
                    #expect(!cases.map(\.number).contains(Self.number(other)))
                }
            }
        }
    }

    @Test("a customer's words are matched case by case among their own latest cases, with the same pages as collecting every match",
          arguments: TestDatabase.all)
    func customerCaseByCase(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var mine: [Int] = []
            for n in 1...12 {
                mine.append(Self.number(try await f.openCase(app, subject: "Tunnel \(n) drops", description: "Office \(n)")))
                // Someone else's tunnel between each of Carla's: her cases are scattered among everyone's numbers.
                _ = try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Tunnel at Globex \(n)", "description": "Down"])
                if n % 3 == 0 { _ = try await f.openCase(app, subject: "Printer \(n) jams", description: "Tray \(n)") }
            }
            // A word only in a staff note on her case: never found by her.
            let noted = try await f.openCase(app, subject: "Slow portal", description: "Pages take long")
            _ = try await app.call(.POST, "/api/v1/cases/\(noted)/messages", token: f.agent, json: ["text": "Tunnel overloaded upstream", "visibility": "internal"])
            let carla = Actor(userID: UserID(try #require(UUID(uuidString: f.customerID))), role: .customer,
                              organisationID: OrganisationID(try #require(UUID(uuidString: f.organisationID))))
            if database == .sqlite {
                let store = app.casebook.store
                try await SearchIndexer.catchUp(store)
                #expect(try await store.search.windowMatch(terms: ["tunne"], includeInternal: false, on: store.sql) != nil)
            }
            for size in [1, 4, 9, 500] {
                var found: [Int] = []
                var cursor: String?
                repeat {
                    var raw = ["q": "tunne", "limit": "5"]
                    if let cursor { raw["cursor"] = cursor }
                    let query = try CaseSearchQuery(raw: raw, me: carla.userID.rawValue)
                    let (cases, next) = try await CaseSearchRepository(services: app.casebook, customerWindowSize: size).run(query, for: carla, on: app.db)
                    found += cases.map(\.number)
                    cursor = next
                } while cursor != nil && found.count < 40
                #expect(found == mine.reversed(), "her own tunnels, newest first, checked among \(size) of her cases at a time")
            }
        }
    }

    private static func number(_ reference: String) -> Int { Int(reference.split(separator: "-").last ?? "") ?? -1 }

    @Test("a window ending among cases updated at the same moment ends exactly at its last case", arguments: TestDatabase.all)
    func tiedWindow(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var tunnels: [String] = []
            for n in 1...10 { tunnels.append(try await f.openCase(app, subject: "Tunnel \(n) drops", description: "Office \(n)")) }
            for n in 1...4 { _ = try await f.openCase(app, subject: "Printer \(n) jams", description: "Tray \(n)") }
            for n in 11...12 { tunnels.append(try await f.openCase(app, subject: "Tunnel \(n) drops", description: "Office \(n)")) }
            _ = try await f.openCase(app, subject: "Printer 5 jams", description: "Tray 5")
            tunnels.append(try await f.openCase(app, subject: "Tunnel 13 drops", description: "Office 13"))
            try await app.casebook.store.sql.raw("UPDATE cases SET updated_at = (SELECT MAX(updated_at) FROM cases)").run()
            let agent = Actor(userID: UserID(try #require(UUID(uuidString: f.agentID))), role: .agent)
            let query = try CaseSearchQuery(raw: ["q": "tunnel", "limit": "5"], me: agent.userID.rawValue)
            let (cases, _) = try await CaseSearchRepository(services: app.casebook, windowSize: 5).run(query, for: agent, on: app.db)
            #expect(cases.map(\.number) == tunnels.reversed().prefix(5).compactMap { Int($0.split(separator: "-").last ?? "") })
        }
    }
}
