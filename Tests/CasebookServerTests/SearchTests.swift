@testable import CasebookServer
import Foundation
import Testing
import Vapor
import SQLKit
import Fluent
import AsyncHTTPClient

@Suite("Searching cases")
struct SearchTests {
    @Test("full text finds words in subjects and messages, with prefixes; all words in one entry", arguments: TestDatabase.all)
    func fullText(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let printer = try await f.openCase(app, subject: "Printer jams", description: "Paper stuck in tray")
            let vpn = try await f.openCase(app, subject: "VPN tunnel drops", description: "Happens under heavy load")
            _ = try await app.call(.POST, "/api/v1/cases/\(vpn)/messages", token: f.agent, json: ["text": "Captured a firmware trace"])
            func found(_ query: String) async throws -> [String] {
                let page = try await app.call(.GET, "/api/v1/cases?q=\(query)", token: f.agent).json
                return ((page["items"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
            }
            #expect(try await found("printer") == [printer])
            #expect(try await found("tray") == [printer])
            #expect(try await found("firmw") == [vpn])
            #expect(try await found("tunnel%20load") == [vpn])
            #expect(try await found("tunnel%20paper") == [])
            #expect(try await found("tunnel%20firmware") == [], "words from two different messages do not make a match")
            #expect(try await found("%22%2A%3A%28") .count == 2, "punctuation only means no text filter")
        }
    }

    @Test("the longest query kept, sixteen words of sixty-four letters, is answered; what is typed beyond it is dropped", arguments: TestDatabase.all)
    func longestQuery(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let words = (0..<16).map { n in String(repeating: String(UnicodeScalar(UInt8(97 + n))), count: 63) + "q" }
            let long = try await f.openCase(app, subject: "Long words", description: words.joined(separator: " "))
            _ = try await f.openCase(app, subject: "Short words", description: words.prefix(15).joined(separator: " "))
            func found(_ typed: [String]) async throws -> [String] {
                let page = try await app.call(.GET, "/api/v1/cases?q=\(typed.joined(separator: "%20"))", token: f.agent)
                #expect(page.status == .ok, "\(page.text)")
                return ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
            }
            #expect(try await found(words) == [long])
            #expect(try await found(words + ["absent"]) == [long], "a seventeenth word is not searched for")
            #expect(try await found(words.map { $0 + "zzzz" }) == [long], "each word is cut to sixty-four letters")
            #expect(try await found(words.map { String($0.prefix(40)) }) == [long], "and each is still a prefix")
        }
    }

    @Test("filters narrow by status, priority, tag, assignee, organisation and dates", arguments: TestDatabase.all)
    func filters(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let a = try await f.openCase(app, subject: "A")
            let b = try await f.openCase(app, subject: "B")
            _ = try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "C", "description": "other org"])
            _ = try await app.call(.PATCH, "/api/v1/cases/\(a)", token: f.agent, json: [
                "version": 1, "status": "open", "priority": "urgent", "tags": ["vip"], "assignee_id": f.agentID,
            ])
            func refs(_ query: String) async throws -> [String] {
                let page = try await app.call(.GET, "/api/v1/cases?\(query)&sort=number", token: f.agent)
                #expect(page.status == .ok, "\(page.text)")
                return ((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
            }
            #expect(try await refs("status=open") == [a])
            #expect(try await refs("status=new,open").count == 3)
            #expect(try await refs("priority=urgent") == [a])
            #expect(try await refs("tag=VIP") == [a])
            #expect(try await refs("assignee_id=me") == [a], "the agent's own assignments")
            #expect(try await refs("assignee_id=\(f.agentID)") == [a])
            #expect(try await refs("assignee_id=none").count == 2)
            #expect(try await refs("organisation_id=\(f.organisationID)") == [a, b])
            #expect(try await refs("created_after=2000-01-01").count == 3)
            #expect(try await refs("created_before=2000-01-01") == [])
        }
    }

    @Test("cursor pages cover every case exactly once, in order", arguments: TestDatabase.all)
    func pagination(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            for index in 0..<23 { _ = try await f.openCase(app, subject: "Case \(index)") }
            for sort in ["-created_at", "created_at", "-number", "priority", "-updated_at"] {
                var seen: [Int] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let path = "/api/v1/cases?limit=5&sort=\(sort)" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await app.call(.GET, path, token: f.agent).json
                    seen += ((page["items"] as? [[String: Any]]) ?? []).compactMap { $0["number"] as? Int }
                    cursor = page["next_cursor"] as? String
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(seen.count == 23, "\(sort)")
                #expect(Set(seen).count == 23, "\(sort)")
                if sort == "-number" || sort == "-created_at" { #expect(seen == seen.sorted(by: >), "\(sort)") }
                if sort == "created_at" { #expect(seen == seen.sorted(), "\(sort)") }
            }
        }
    }

    @Test("customers find only their own cases, or their organisation's when it shares", arguments: TestDatabase.all)
    func scoping(database: TestDatabase) async throws {
        for sharing in [false, true] {
            try await withCasebook(database) { app in
                let f = try await Fixture.make(app, sharing: sharing)
                _ = try await f.openCase(app, subject: "Mine")
                _ = try await app.call(.POST, "/api/v1/cases", token: f.colleague, json: ["subject": "Colleague's", "description": "x"])
                _ = try await app.call(.POST, "/api/v1/cases", token: f.outsider, json: ["subject": "Outsider's", "description": "x"])
                let page = try await app.call(.GET, "/api/v1/cases", token: f.customer).json
                let subjects = Set(((page["items"] as? [[String: Any]]) ?? []).compactMap { $0["subject"] as? String })
                #expect(subjects == (sharing ? ["Mine", "Colleague's"] : ["Mine"]))
            }
        }
    }
}
