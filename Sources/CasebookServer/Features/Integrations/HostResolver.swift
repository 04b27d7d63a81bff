import CasebookCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Looks a host name up the way the HTTP client will, so the addresses can be checked before connecting.
enum HostResolver {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Every address `host` resolves to, as text (IPv6 without brackets); blocks the calling thread.
    static func addresses(of host: String, port: Int) throws -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var first: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &first)
        guard status == 0 else { throw Failure(description: "\(host) could not be resolved (\(String(cString: gai_strerror(status))))") }
        defer { freeaddrinfo(first) }
        var found: [String] = []
        var next = first
        while let entry = next?.pointee {
            if let text = text(of: entry), !found.contains(text) { found.append(text) }
            next = entry.ai_next
        }
        return found
    }

    private static func text(of entry: addrinfo) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch entry.ai_family {
        case AF_INET:
            return entry.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                var raw = address.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        case AF_INET6:
            return entry.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                var raw = address.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        default:
            return nil
        }
    }

    /// The first address of `addresses` outside the public internet, with its scope, if any.
    static func firstNonPublic(_ addresses: [String]) -> (address: String, scope: AddressScope)? {
        for address in addresses {
            let scope = NetworkAddress.scope(of: address) ?? .reserved
            if !scope.isPublic { return (address, scope) }
        }
        return nil
    }
}
