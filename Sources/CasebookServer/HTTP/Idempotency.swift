import CasebookCore
import Crypto
import Fluent
import Vapor

/// Runs a create at most once per `Idempotency-Key`: a retry gets the first answer back.
///
/// The answer is stored in the same transaction as the create, so either both exist or neither.
/// Two concurrent requests with one key collide on the unique index; the loser rolls back and
/// replays the winner's answer.
enum Idempotency {
    static let header = "Idempotency-Key"

    static func create<T: Content>(_ request: Request, status: HTTPStatus = .created,
                                   _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> Response {
        try await create(request, status: status, prepare: {}, { _, db in try await body(db) })
    }

    /// Like `create`, with a read-only `prepare` step run outside the write transaction (after a replay is ruled out),
    /// whose result the write receives.
    static func create<P: Sendable, T: Content>(_ request: Request, status: HTTPStatus = .created, prepare: () async throws -> P,
                                                _ body: @escaping @Sendable (P, any Database) async throws -> T) async throws -> Response {
        try await answering(request, prepare: prepare) { prepared, db in (status, try await body(prepared, db)) }
    }

    /// Like `create`, for a write whose answer's status depends on what it did (a reply sent is 201, one held is 202).
    static func answering<P: Sendable, T: Content>(_ request: Request, prepare: () async throws -> P,
                                                   _ body: @escaping @Sendable (P, any Database) async throws -> (HTTPStatus, T)) async throws -> Response {
        guard let key = request.headers.first(name: header) else {
            let prepared = try await prepare()
            let (status, value) = try await request.store.write { db in try await body(prepared, db) }
            return try await value.encodeResponse(status: status, for: request)
        }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw Problem.badRequest("Header '\(header)' must be 1 to 255 visible ASCII characters.")
        }
        let userID = try request.current.user.id
        let fingerprint = fingerprint(of: request)
        if let replay = try await replay(key: key, userID: userID, fingerprint: fingerprint, on: request.db) { return replay }
        let now = request.now
        let prepared = try await prepare()
        do {
            let (status, data) = try await request.store.write { db in
                let (status, value) = try await body(prepared, db)
                let data = try ContentConfiguration.jsonEncoder.encode(value)
                try await IdempotencyRecordModel(userID: userID, key: key, requestHash: fingerprint, status: Int(status.code),
                                                 body: String(decoding: data, as: UTF8.self), createdAt: now).create(on: db)
                return (status, data)
            }
            return jsonResponse(status: status, data: data)
        } catch {
            // A concurrent twin may have committed first; answer as it did.
            if let replay = try await replay(key: key, userID: userID, fingerprint: fingerprint, on: request.db) { return replay }
            throw error
        }
    }

    private static func replay(key: String, userID: UUID, fingerprint: String, on db: any Database) async throws -> Response? {
        guard let record = try await IdempotencyRepository.find(key: key, userID: userID, on: db) else { return nil }
        guard record.requestHash == fingerprint else {
            throw Problem(status: .unprocessableEntity, slug: "idempotency-key-reused", title: "Idempotency key reused",
                          detail: "This Idempotency-Key was already used with a different request.")
        }
        let response = jsonResponse(status: HTTPStatus(statusCode: record.status), data: Data(record.body.utf8))
        response.headers.replaceOrAdd(name: "Idempotent-Replayed", value: "true")
        return response
    }

    private static func fingerprint(of request: Request) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.url.path)\n".utf8))
        if let body = request.body.data {
            // Equal JSON in another key order or spacing is the same request.
            let raw = Data(buffer: body)
            if let object = try? JSONSerialization.jsonObject(with: raw, options: [.fragmentsAllowed]),
               let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) {
                hasher.update(data: canonical)
            } else {
                hasher.update(data: raw)
            }
        }
        return DigitText.hex(hasher.finalize())
    }

    static func jsonResponse(status: HTTPStatus, data: Data) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: data))
    }
}

extension ContentConfiguration {
    /// The JSON encoder every API answer uses: ISO 8601 dates with milliseconds, sorted keys.
    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }()

    /// The JSON decoder for request bodies: ISO 8601 dates, with or without fractions.
    static let jsonDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601Parsing.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "is not an ISO 8601 date")
            }
            return date
        }
        return decoder
    }()
}
