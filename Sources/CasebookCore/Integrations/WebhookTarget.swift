import Foundation

/// A URL events are posted to, checked before it is stored.
public struct WebhookTarget: Sendable, Equatable {
    public let url: URL
    public let host: String
    public let port: Int
    public let isSecure: Bool

    /// Parses `text`, refusing anything but plain http(s) URLs, and IP literals outside the public internet unless `allowPrivate`.
    public init(_ text: String, allowPrivate: Bool, field: String = "url") throws(DomainError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw DomainError.invalid(field, "is required") }
        guard trimmed.utf8.count <= 2000 else { throw DomainError.invalid(field, "must be at most 2000 characters") }
        guard let parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased(), let url = parts.url else {
            throw DomainError.invalid(field, "is not a URL")
        }
        guard scheme == "https" || scheme == "http" else { throw DomainError.invalid(field, "must start with https:// or http://") }
        guard let host = parts.host, !host.isEmpty else { throw DomainError.invalid(field, "has no host") }
        guard parts.user == nil, parts.password == nil else {
            throw DomainError.invalid(field, "must not carry a user name or password; receivers check the signature instead")
        }
        guard parts.fragment == nil else { throw DomainError.invalid(field, "must not have a #fragment") }
        // A trailing dot names the same host ("localhost." is localhost): checked without it.
        var name = host.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { throw DomainError.invalid(field, "has no host") }
        self.url = url
        self.host = name
        self.isSecure = scheme == "https"
        self.port = parts.port ?? (scheme == "https" ? 443 : 80)
        if !allowPrivate { try Self.refuseNonPublic(name: name, field: field) }
    }

    /// Refuses a host that is, by its very name, not on the public internet; names are checked again once resolved.
    static func refuseNonPublic(name: String, field: String) throws(DomainError) {
        if name == "localhost" || name.hasSuffix(".localhost") || name.hasSuffix(".local") || name.hasSuffix(".internal") {
            throw DomainError.invalid(field, "points at a private or local address; an admin may allow private targets for this subscription")
        }
        if let scope = NetworkAddress.scope(of: name), !scope.isPublic {
            throw DomainError.invalid(field, "points at a \(scope.rawValue.replacingOccurrences(of: "_", with: "-")) address; an admin may allow private targets for this subscription")
        }
    }
}
