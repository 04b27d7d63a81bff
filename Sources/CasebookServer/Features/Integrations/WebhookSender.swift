import AsyncHTTPClient
import CasebookCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Vapor

/// Posts one delivery's body to a subscriber and reports what happened; never follows a redirect.
final class WebhookSender: LifecycleHandler, Sendable {
    /// What one POST came to.
    struct Outcome: Sendable {
        var responseCode: Int?
        var responseExcerpt: String?
        var error: String?
        var durationMilliseconds: Int

        var isSuccess: Bool { error == nil && (200..<300).contains(responseCode ?? 0) }
    }

    static let excerptBytes = 2048

    private let client: HTTPClient
    private let group: any EventLoopGroup
    private let configuration: HTTPClient.Configuration
    private let blockingIO: NIOThreadPool
    private let timeout: TimeAmount

    init(group: any EventLoopGroup, blockingIO: NIOThreadPool, timeout: TimeAmount) {
        self.timeout = timeout
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(5), read: timeout))
        configuration.httpVersion = .http1Only
        self.configuration = configuration
        self.group = group
        client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
        self.blockingIO = blockingIO
    }

    /// How an https target is reached at the address that was checked while its certificate is still checked against
    /// its name: `dnsOverride` connects there, so a second lookup (DNS rebinding) cannot lead elsewhere.
    static func pinnedConfiguration(_ base: HTTPClient.Configuration, host: String, address: String) -> HTTPClient.Configuration {
        var configuration = base
        configuration.dnsOverride = [host: address]
        return configuration
    }

    func shutdownAsync(_ application: Application) async {
        try? await client.shutdown()
    }

    /// Posts `body` to `target` with Casebook's headers (and a signature when `secret` is given).
    func post(_ body: String, to target: WebhookTarget, allowPrivate: Bool, event: WebhookEvent, deliveryID: UUID, secret: String?,
              now: Date) async -> Outcome {
        let started = ContinuousClock.now
        func elapsed() -> Int {
            let duration = ContinuousClock.now - started
            return Int(duration.wholeMilliseconds)
        }
        let pinned: String
        do {
            pinned = try await address(for: target, allowPrivate: allowPrivate)
        } catch {
            return Outcome(error: String(describing: error), durationMilliseconds: elapsed())
        }
        let data = Data(body.utf8)
        var request = HTTPClientRequest(url: Self.url(target, pinnedTo: pinned))
        request.method = .POST
        request.headers.add(name: "Host", value: target.port == (target.isSecure ? 443 : 80) ? target.host : "\(target.host):\(target.port)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Casebook-Webhooks/1")
        request.headers.add(name: "Casebook-Event", value: event.rawValue)
        request.headers.add(name: "Casebook-Delivery", value: deliveryID.uuidString)
        if let secret { request.headers.add(name: WebhookSignature.header, value: WebhookSignature.sign(body: data, secret: secret, at: now)) }
        request.body = .bytes(ByteBuffer(data: data))
        // Plain http carries the checked address in its URL; https needs a client of its own that connects there.
        let pinsByName = target.isSecure && NetworkAddress.scope(of: target.host) == nil
        let client = pinsByName
            ? HTTPClient(eventLoopGroupProvider: .shared(group), configuration: Self.pinnedConfiguration(configuration, host: target.host, address: pinned))
            : self.client
        let outcome = await send(request, with: client, elapsed: elapsed)
        if pinsByName { try? await client.shutdown() }
        return outcome
    }

    private func send(_ request: HTTPClientRequest, with client: HTTPClient, elapsed: () -> Int) async -> Outcome {
        do {
            let response = try await client.execute(request, timeout: timeout)
            var excerpt = Data()
            for try await chunk in response.body {
                excerpt.append(contentsOf: chunk.readableBytesView.prefix(Self.excerptBytes - excerpt.count))
                if excerpt.count >= Self.excerptBytes { break }
            }
            let code = Int(response.status.code)
            let text = String(decoding: excerpt, as: UTF8.self)
            let refusal = (300..<400).contains(code) ? "answered \(code) (a redirect); redirects are not followed" : nil
            return Outcome(responseCode: code, responseExcerpt: text.isEmpty ? nil : text, error: refusal, durationMilliseconds: elapsed())
        } catch {
            return Outcome(error: describe(error), durationMilliseconds: elapsed())
        }
    }

    /// The address to connect to: the host's first address, refused when it (or any other) is not public and that is not allowed.
    private func address(for target: WebhookTarget, allowPrivate: Bool) async throws -> String {
        if NetworkAddress.scope(of: target.host) != nil { return target.host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
        let host = target.host
        let port = target.port
        let addresses = try await blockingIO.runIfActive { try HostResolver.addresses(of: host, port: port) }
        guard let first = addresses.first else { throw HostResolver.Failure(description: "\(host) has no address") }
        if !allowPrivate, let (address, scope) = HostResolver.firstNonPublic(addresses) {
            throw HostResolver.Failure(description: "\(host) resolves to \(address), a \(scope.rawValue) address; private targets are not allowed for this subscription")
        }
        return first
    }

    /// The URL with its host replaced by the checked address, so a second lookup cannot lead elsewhere (plain http only:
    /// https keeps the name, which the certificate is checked against, and is pinned by `pinnedConfiguration`).
    static func url(_ target: WebhookTarget, pinnedTo address: String) -> String {
        let text = target.url.absoluteString
        guard !target.isSecure else { return text }
        // Targets carry no user name or password, so the authority runs from the scheme to the first / or ?.
        let afterScheme = text.dropFirst("http://".count)
        let rest = afterScheme.firstIndex { $0 == "/" || $0 == "?" }.map { afterScheme[$0...] } ?? ""
        return "http://" + (address.contains(":") ? "[\(address)]" : address) + ":\(target.port)" + rest
    }

    func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer within \(timeout.nanoseconds / 1_000_000_000) seconds"
            case .connectTimeout: return "could not connect within 5 seconds"
            default: break
            }
        }
        let text = String(describing: error)
        if error is NIOConnectionError || text.contains("Connection refused") || text.contains("ECONNREFUSED") {
            return "could not connect (connection refused)"
        }
        return String(text.prefix(300))
    }
}
