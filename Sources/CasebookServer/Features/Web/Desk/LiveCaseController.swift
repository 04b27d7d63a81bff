import CasebookCore
import Foundation
import NIOCore
import SQLKit
import Vapor

/// Live updates on the case page: agents announce themselves (`presence`), and a server-sent event stream
/// tells each page who else is there, who is replying, and when the case changed underneath it. Both read the database,
/// so agents on different instances see each other; the stream is pushed by the writes themselves, not by polling.
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
        let now = req.now
        try await req.store.write { db in
            let sql = req.store.sql(db)
            if beat.leaving == true {
                try await CasePresenceRepository.leave(caseID: record.id, userID: current.user.id, on: sql)
            } else {
                try await CasePresenceRepository.beat(caseID: record.id, userID: current.user.id, name: current.user.name, replying: beat.replying ?? false, now: now, on: sql)
            }
        }
        return try await Self.snapshot(caseID: record.id, me: current.user.id, now: now, on: req.store.sql)
    }

    static func snapshot(caseID: UUID, me: UUID, now: Date, on sql: any SQLDatabase) async throws -> Others {
        let mark = try await CasePresenceRepository.caseMark(caseID, on: sql)
        return Others(others: try await CasePresenceRepository.others(caseID: caseID, besides: me, now: now, on: sql).map { .init(name: $0.name, replying: $0.replying) },
                      version: mark.version, position: mark.position)
    }

    /// `text/event-stream`: a `state` event whenever who-is-here or the case's version changes, for up to five minutes
    /// (the browser's EventSource then reconnects on its own). The stream is woken by the write that changed the case,
    /// on any instance (`CaseChanges`); it looks again every `recheck` as well, for visitors whose heartbeat stopped.
    @Sendable func events(req: Request) async throws -> Response {
        let current = try req.current
        let record = try await req.readableCase()
        let sql = req.store.sql
        let changes = req.store.caseChanges
        let readiness = req.application.readiness
        let clock = req.casebook.clock
        let logger = req.logger
        let headers: HTTPHeaders = ["Content-Type": "text/event-stream", "Cache-Control": "no-store", "X-Accel-Buffering": "no"]
        return Response(status: .ok, headers: headers, body: .init(asyncStream: { writer in
            var last: String?
            let deadline = clock().addingTimeInterval(300)
            do {
                try await writer.write(.buffer(ByteBuffer(string: "retry: 2000\n\n")))
                // A stopping instance ends its streams, and the pages reconnect through the balancer to another one.
                while clock() < deadline, !readiness.isStopping {
                    // Listening starts before the read, so a change landing in between still wakes the wait below.
                    let ticket = changes.listen(to: record.id)
                    do {
                        let state = try await Self.snapshot(caseID: record.id, me: current.user.id, now: clock(), on: sql)
                        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
                        if json != last {
                            try await writer.write(.buffer(ByteBuffer(string: "event: state\ndata: \(json)\n\n")))
                            last = json
                        } else {
                            try await writer.write(.buffer(ByteBuffer(string: ": keep-alive\n\n")))
                        }
                    } catch {
                        changes.forget(ticket)
                        throw error
                    }
                    await changes.wait(ticket, upTo: Self.recheck)
                }
            } catch {
                logger.debug("case event stream ended: \(error)")
            }
            try? await writer.write(.end)
        }))
    }

    /// How long a quiet stream waits before it looks again: a visitor whose page closed without saying so is gone
    /// from the list within this much after their heartbeat's lifetime.
    static let recheck: Duration = .seconds(10)
}
