import CasebookCore
import Foundation
import Synchronization
import Testing

/// The attachments an export was asked for, in order.
final class OpenedFiles: Sendable {
    private let ids = Mutex<[String]>([])
    func add(_ id: String) { ids.withLock { $0.append(id) } }
    var all: [String] { ids.withLock { $0 } }
}

@Suite("Reading part of a help desk's export")
struct ExportWindowTests {
    /// Three Zendesk tickets, each with one attached file; `opened` records which attachments were read.
    static func files(opened: OpenedFiles) -> ExportFiles {
        let tickets = (1...3).map { n in
            #"{"id":\#(n),"subject":"Ticket \#(n)","status":"open","requester_id":5,"created_at":"2026-03-0\#(n)T09:00:00Z","#
                + #""comments":[{"id":\#(n * 10),"author_id":5,"body":"Body \#(n)","public":true,"attachments":[{"id":\#(n * 100),"file_name":"f\#(n).txt"}]}]}"#
        }.joined(separator: "\n")
        let users = #"[{"id":5,"name":"Carla","email":"carla@example.com","role":"end-user"}]"#
        return ExportFiles(read: { name in
            switch name {
            case "tickets.json": Data(tickets.utf8)
            case "users.json": Data(users.utf8)
            default: nil
            }
        }, attachment: { id, _ in
            opened.add(id)
            return Data("bytes of \(id)".utf8)
        })
    }

    @Test("a window makes tickets of its own records only and reads only their attachments; the whole count is known either way")
    func window() throws {
        let opened = OpenedFiles()
        let middle = try ZendeskExport(Self.files(opened: opened), window: 1..<2)
        #expect(middle.tickets.map(\.externalID) == ["2"] && middle.ticketCount == 3)
        #expect(opened.all == ["200"], "only the window's attachment is read")

        let past = try ZendeskExport(Self.files(opened: opened), window: 5..<9)
        #expect(past.tickets.isEmpty && past.ticketCount == 3)
        let none = try ZendeskExport(Self.files(opened: opened), window: 0..<0)
        #expect(none.tickets.isEmpty && none.ticketCount == 3)
        #expect(opened.all == ["200"], "an empty window reads no file")

        let whole = try ZendeskExport(Self.files(opened: opened))
        #expect(whole.tickets.map(\.externalID) == ["1", "2", "3"] && whole.tickets.allSatisfy { $0.entries.first?.files.count == 1 })
    }
}
