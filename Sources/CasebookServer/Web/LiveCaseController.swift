import CasebookCore
import Foundation
import NIOCore
import SQLKit
import Vapor

/// Live updates on the case page: agents announce themselves (`presence`), and a server-sent event stream
/// tells each page who else is there, who is replying, and when the case changed underneath it.
struct LiveCaseController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("desk", "cases", ":reference")
        one.post("presence", use: presence)
        one.get("events", use: events)
    }

    struct Beat: Content {
        var replying: Bool?
        var leaving: Bool?
    }

    struct Others: Content {
        var others: [Person]
        var version: Int
        var position: Int

        struct Person: Content {
            var name: String
            var replying: Bool
        }
    }

    @Sendable func presence(req: Request) async throws -> Others {
        let current = try req.current
        let record = try await req.readableCase()
        let beat = try req.content.decode(Beat.self)
        let hub = req.application.presence
        if beat.leaving == true {
            hub.leave(caseID: record.id, userID: current.user.id)
        } else {
            hub.beat(caseID: record.id, userID: current.user.id, name: current.user.name, replying: beat.replying ?? false, now: req.now)
        }
        return try await Self.snapshot(caseID: record.id, me: current.user.id, hub: hub, now: req.now, on: req.store.sql)
    }

    static func snapshot(caseID: UUID, me: UUID, hub: PresenceHub, now: Date, on sql: any SQLDatabase) async throws -> Others {
        let row = try await sql.raw("""
            SELECT cases.version AS version, (SELECT MAX(position) FROM timeline_entries WHERE case_id = cases.id) AS position
            FROM cases WHERE cases.id = \(bind: caseID)
            """).first()
        return Others(others: hub.others(caseID: caseID, besides: me, now: now).map { .init(name: $0.name, replying: $0.replying) },
                      version: try row?.decode(column: "version", as: Int.self) ?? 0, position: try row?.decode(column: "position", as: Int?.self) ?? 0)
    }

    /// `text/event-stream`: a `state` event whenever who-is-here or the case's version changes, checked every two seconds,
    /// for up to five minutes (the browser's EventSource then reconnects on its own).
    @Sendable func events(req: Request) async throws -> Response {
        let current = try req.current
        let record = try await req.readableCase()
        let hub = req.application.presence
        let sql = req.store.sql
        let clock = req.casebook.clock
        let logger = req.logger
        let headers: HTTPHeaders = ["Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"]
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            var last: String?
            let deadline = clock().addingTimeInterval(300)
            do {
                try await writer.write(.buffer(ByteBuffer(string: "retry: 2000\n\n")))
                while clock() < deadline {
                    let state = try await Self.snapshot(caseID: record.id, me: current.user.id, hub: hub, now: clock(), on: sql)
                    let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
                    if json != last {
                        try await writer.write(.buffer(ByteBuffer(string: "event: state\ndata: \(json)\n\n")))
                        last = json
                    } else {
                        try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                    }
                    try await Task.sleep(for: .seconds(2))
                }
            } catch {
                logger.debug("case event stream ended: \(error)")
            }
            try? await writer.write(.end)
        }))
    }
}

extension Application {
    private struct PresenceKey: StorageKey { typealias Value = PresenceHub }

    /// Who is looking at which case, on this instance.
    var presence: PresenceHub {
        if let hub = storage[PresenceKey.self] { return hub }
        let hub = PresenceHub()
        storage[PresenceKey.self] = hub
        return hub
    }
}
