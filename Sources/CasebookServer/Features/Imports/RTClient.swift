import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Request Tracker 5's REST 2 API, read only: what an import needs.
///
/// Signs in once with a user name and password when given them (RT checks a token's bcrypt hash on
/// every request, about a quarter of a second of RT's CPU each; a session cookie costs nothing).
final class RTClient: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        /// RT's HTTP status, when it answered at all.
        var status: Int?
    }

    let base: String
    private let client: HTTPClient
    private let authorization: String?
    private let cookie: String?

    private init(base: String, client: HTTPClient, authorization: String?, cookie: String?) {
        (self.base, self.client, self.authorization, self.cookie) = (base, client, authorization, cookie)
    }

    /// Connects to the RT at `url` with a token, or with a user and password.
    static func connect(url: String, token: String?, user: String?, password: String?) async throws -> RTClient {
        let base = url.hasSuffix("/") ? String(url.dropLast()) : url
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(60))))
        do {
            if let user, let password {
                var request = HTTPClientRequest(url: base + "/NoAuth/Login.html")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                let form = "user=\(Self.formEncoded(user))&pass=\(Self.formEncoded(password))"
                request.body = .bytes(ByteBuffer(string: form))
                let response = try await client.execute(request, timeout: .seconds(30))
                let cookie = response.headers["Set-Cookie"].first { $0.hasPrefix("RT_SID_") }?.split(separator: ";").first.map(String.init)
                guard let cookie, response.status.code < 400 else {
                    throw Failure(description: "RT refused the sign-in for \(user) (\(response.status.code))")
                }
                let signedIn = RTClient(base: base, client: client, authorization: nil, cookie: cookie)
                try await signedIn.awaitSession()
                return signedIn
            }
            guard let token else { throw Failure(description: "give an RT token, or a user name and password") }
            let connected = RTClient(base: base, client: client, authorization: "token " + token, cookie: nil)
            _ = try await connected.get("/queues/all")
            return connected
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// RT saves a new session after its answer has gone out, so a request at once to another worker can find no
    /// session yet and be sent to the login page (302); a few short waits cover that, a real refusal stays one.
    private func awaitSession() async throws {
        var attempt = 0
        while true {
            do {
                _ = try await get("/queues/all")
                return
            } catch let failure as Failure where failure.status == 302 && attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    func close() async {
        try? await client.shutdown()
    }

    /// One REST 2 resource as JSON (`path` under /REST/2.0, or a full `_url` RT gave).
    func get(_ path: String) async throws -> [String: Any] {
        let url = path.hasPrefix("http") ? path : base + "/REST/2.0" + path
        var request = HTTPClientRequest(url: url)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
        guard response.status == .ok else {
            throw Failure(description: "RT answered \(response.status.code) for \(url.replacingOccurrences(of: base, with: ""))",
                          status: Int(response.status.code))
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw Failure(description: "RT's answer for \(path) is not a JSON object")
        }
        return object
    }

    /// Ticket ids after `cursor`, oldest first, a page at a time; and how many there are in all.
    func ticketIDs(after cursor: Int, page: Int, perPage: Int = 100) async throws -> (ids: [Int], total: Int) {
        let query = "id > \(cursor)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let answer = try await get("/tickets?query=\(query)&orderby=id&order=ASC&page=\(page)&per_page=\(perPage)")
        let ids = (answer["items"] as? [[String: Any]] ?? []).compactMap { RTJSON.int($0["id"]) }
        return (ids, RTJSON.int(answer["total"]) ?? ids.count)
    }

    private static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Reading RT's loosely typed JSON (ids come as numbers or strings).
enum RTJSON {
    static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let text = value as? String { return Int(text) }
        if let number = value as? Double { return Int(exactly: number) }
        return nil
    }

    static func string(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let number = value as? Int { return String(number) }
        return nil
    }

    /// RT's times ("2026-12-03T20:11:40Z"); RT writes 1970-01-01 for "not set".
    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String, let date = try? Date(text, strategy: .iso8601), date.timeIntervalSince1970 > 0 else { return nil }
        return date
    }

    /// The id of a linked record (`{"id": "root", "type": "user", ...}`).
    static func ref(_ value: Any?) -> String? {
        string((value as? [String: Any])?["id"])
    }
}
