import CasebookCore
import Foundation
import NIOCore
import Vapor

/// Records every change to configuration and access, and every export, made through the API — and so through every
/// page, which calls the API. The record as it stood is read before the change and the answer kept after it, both with
/// secrets blanked. Refusals of access (401, 403) are recorded too; a rejected form (400, 422) changed nothing and is not.
struct AuditTrail: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let segments = Array(request.url.path.split(separator: "/").map(String.init).dropFirst(2))
        guard let entry = AuditScope.classify(method: request.method.rawValue, segments: segments, query: request.url.query) else {
            return try await next.respond(to: request)
        }
        // A privacy request's record is the personal data it takes out: the log says what was done, not what it held.
        let before: String? = if let path = entry.recordPath, entry.category != .export, entry.subjectType != "privacy" { await Self.read(path, like: request) } else { nil }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            let status = Problem.from(error)?.status ?? (error as? any AbortError)?.status ?? .internalServerError
            if [.unauthorized, .forbidden].contains(status) { try? await record(entry, status: status, before: before, after: nil, request) }
            throw error
        }
        guard (200..<300).contains(response.status.code) || [.unauthorized, .forbidden].contains(response.status) else { return response }
        // An export's body is the data itself: the log says that it was taken, not what it held.
        let after = entry.category == .export ? nil : response.body.buffer.flatMap { AuditRedaction.redact(Data(buffer: $0)) }
        try? await record(entry, status: response.status, before: before, after: after, request)
        return response
    }

    private func record(_ entry: AuditScope.Entry, status: HTTPResponseStatus, before: String?, after: String?, _ request: Request) async throws {
        var subjectID = entry.subjectID
        if subjectID == nil, let after, let data = after.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            subjectID = object["id"] as? String
        }
        let current = try? request.current
        let action = request.method.rawValue + " " + request.url.path + (entry.category == .export ? request.url.query.map { "?" + $0 } ?? "" : "")
        try await request.audit(AuditEvent(id: RecordID.make(), at: request.now, actorID: current?.user.id, actorEmail: current?.user.email,
                                           client: request.clientAddress, category: entry.category, action: action,
                                           subjectType: entry.subjectType, subjectID: subjectID, outcome: Int(status.code),
                                           before: before, after: after))
    }

    /// The record at `path` as the caller sees it, read through the API with their credentials; for collections that
    /// have no page per record (groups, calendars), the record is picked out of the collection's list.
    private static func read(_ path: String, like request: Request) async -> String? {
        if let record = await get(path, like: request) { return AuditRedaction.redact(record) }
        let parts = path.split(separator: "/")
        guard parts.count == 4, let id = UUID(uuidString: String(parts[3])),
              let list = await get("/" + parts.prefix(3).joined(separator: "/"), like: request),
              let items = try? JSONSerialization.jsonObject(with: list) as? [[String: Any]],
              let item = items.first(where: { ($0["id"] as? String).flatMap(UUID.init(uuidString:)) == id }),
              let data = try? JSONSerialization.data(withJSONObject: item) else { return nil }
        return AuditRedaction.redact(data)
    }

    private static func get(_ path: String, like request: Request) async -> Data? {
        var headers = HTTPHeaders()
        for name in [HTTPHeaders.Name.cookie, .authorization] { if let value = request.headers.first(name: name) { headers.add(name: name, value: value) } }
        headers.add(name: .accept, value: "application/json")
        let read = Request(application: request.application, method: .GET, url: URI(path: path), version: .http1_1, headersNoUpdate: headers,
                           collectedBody: nil, remoteAddress: request.remoteAddress, logger: request.logger,
                           byteBufferAllocator: request.application.allocator, on: request.eventLoop)
        guard let response = try? await request.application.responder.current.respond(to: read).get(),
              response.status == .ok, let buffer = response.body.buffer else { return nil }
        return Data(buffer: buffer)
    }
}

extension Request {
    /// The address the call came from, as the audit log and the sign-in throttle name it.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// Appends one entry to the audit log.
    func audit(_ event: AuditEvent) async throws {
        let store = self.store
        try await store.write { db in try await AuditLogRepository.append(event, on: store.sql(db)) }
    }

    /// Appends an entry about the caller (or `actor`) with no record before or after: a sign-in, a refusal.
    func audit(_ category: AuditScope.Category, _ action: String, actorID: UUID?, actorEmail: String?, outcome: HTTPStatus = .ok,
               subjectType: String? = nil, subjectID: String? = nil, after: String? = nil) async throws {
        try await audit(AuditEvent(id: RecordID.make(), at: now, actorID: actorID, actorEmail: actorEmail, client: clientAddress,
                                   category: category, action: action, subjectType: subjectType, subjectID: subjectID,
                                   outcome: Int(outcome.code), before: nil, after: after))
    }
}
