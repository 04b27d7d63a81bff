@testable import CasebookServer
import CasebookCore
import Foundation
import Testing

@Suite("Counting and matching short words in a search")
struct SearchCountTests {
    @Test("a word search's count, settled among the newest cases or by collecting every match, is the same up to the cap",
          arguments: TestDatabase.all)
    func windowedCount(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            var tunnels: [String] = []
            for n in 1...24 {
                tunnels.append(try await f.openCase(app, subject: "Tunnel \(n) drops", description: "Office \(n)"))
                if n % 4 == 0 { _ = try await f.openCase(app, subject: "Printer \(n) jams", description: "Tray \(n)") }
            }
            _ = try await app.call(.PATCH, "/api/v1/cases/\(tunnels[3])", token: f.agent, json: ["version": 1, "status": "open"])
            let agent = Actor(userID: UserID(try #require(UUID(uuidString: f.agentID))), role: .agent)
            func counted(_ raw: [String: String], window: Int, cap: Int, span: Int) async throws -> Int {
                let query = try CaseSearchQuery(raw: raw, me: agent.userID.rawValue)
                return try await CaseSearchRepository(services: app.casebook, windowSpan: span, countWindowSize: window)
                    .count(query, for: agent, cap: cap, on: app.casebook.store.sql)
            }
            // A span of 2 numbers makes every SQLite window "scattered": matched against every match collected once.
            for span in [100_000, 2] {
                for window in [1, 5, 10, 29, 30, 31, 2_000] {
                    func count(_ raw: [String: String], window: Int, cap: Int) async throws -> Int {
                        try await counted(raw, window: window, cap: cap, span: span)
                    }
                    for cap in [1, 3, 6, 24, 25, 100] {
                        #expect(try await count(["q": "tunnel"], window: window, cap: cap) == min(24, cap), "tunnels, window \(window), cap \(cap)")
                        #expect(try await count(["q": "printer"], window: window, cap: cap) == min(6, cap), "printers, window \(window), cap \(cap)")
                        #expect(try await count(["q": "tunnel", "status": "open"], window: window, cap: cap) == 1, "one open tunnel, window \(window)")
                        #expect(try await count(["q": "tunnel", "status": "closed"], window: window, cap: cap) == 0)
                        #expect(try await count(["q": "office 1"], window: window, cap: cap) == 1, "a short word is whole, window \(window)")
                    }
                }
            }
            // A cursor (the list's second page) does not change how many the list holds.
            let first = try CaseSearchQuery(raw: ["q": "tunnel", "limit": "5"], me: agent.userID.rawValue)
            let (_, next) = try await CaseSearchRepository(services: app.casebook).run(first, for: agent, on: app.db)
            let second = try CaseSearchQuery(raw: ["q": "tunnel", "limit": "5", "cursor": try #require(next)], me: agent.userID.rawValue)
            #expect(try await CaseSearchRepository(services: app.casebook, countWindowSize: 10).count(second, for: agent, cap: 100, on: app.casebook.store.sql) == 24)
        }
    }

    @Test("one or two Latin letters or digits match whole words; three or more, and other scripts, match the words they begin",
          arguments: TestDatabase.all)
    func shortWords(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let seven = try await f.openCase(app, subject: "Printer on floor 7 jams", description: "Paper tray")
            let seventy = try await f.openCase(app, subject: "Printer on floor 70 jams", description: "Paper tray")
            let hp = try await f.openCase(app, subject: "HP LaserJet offline", description: "No lights")
            let hpe = try await f.openCase(app, subject: "HPE switch down", description: "Port 7b flaps")
            let chinese = try await f.openCase(app, subject: "打印机 无法连接", description: "办公室")
            func found(_ query: String) async throws -> Set<String> {
                let page = try await app.call(.GET, "/api/v1/cases?q=\(query)", token: f.agent)
                #expect(page.status == .ok, "\(page.text)")
                return Set(((page.json["items"] as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String })
            }
            #expect(try await found("floor%207") == [seven])
            #expect(try await found("floor%2070") == [seventy])
            #expect(try await found("flo%207") == [seven], "three letters stay a prefix beside a whole short word")
            #expect(try await found("hp") == [hp])
            #expect(try await found("hpe") == [hpe])
            #expect(try await found("7b") == [hpe])
            #expect(try await found("jams%20paper") == [seven, seventy])
            #expect(SearchTerms.isWholeWord("7") && SearchTerms.isWholeWord("hp") && !SearchTerms.isWholeWord("las"))
            #expect(!SearchTerms.isWholeWord("打印"), "a short word in another script stays a prefix")
            #expect(try await found("%E6%89%93%E5%8D%B0") == [chinese], "a run of Chinese is one indexed word, found by its beginning")
        }
    }
}
