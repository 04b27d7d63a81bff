import Foundation

/// Addresses Casebook fetches because an admin named a provider (an OpenID issuer and the endpoints its discovery
/// document lists): https anywhere, plain http only on this machine, and never the local link where cloud metadata
/// services answer, so neither a mistyped setting nor a hostile discovery document turns sign-in into a way in (SSRF).
public enum ProviderURL {
    /// Whether Casebook may fetch `text`.
    public static func isAcceptable(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased(), !host.isEmpty,
              url.user == nil, url.password == nil else { return false }
        let scope = NetworkAddress.scope(of: host)
        if scope == .linkLocal || scope == .reserved { return false }
        switch scheme {
        case "https": return true
        case "http": return host == "localhost" || scope == .loopback
        default: return false
        }
    }
}
