import Foundation
import Testing

/// A real OpenLDAP server on loopback (tests/integration/ldap/slapd.sh): StartTLS with its own CA, binds refused
/// without TLS, people and groups with memberOf, and a service account.
struct TestDirectoryServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("tests/integration/ldap/slapd.sh").path
    static let base = "dc=corp,dc=example"
    static let serviceDN = "cn=casebook,ou=services,dc=corp,dc=example"
    static let servicePassword = "service-secret"

    let folder: String
    let port: Int
    let caPEM: String

    var url: String { "ldap://localhost:\(port)" }

    /// Starts one, or records an issue and answers nil when OpenLDAP is not installed (scripts/test.sh installs it).
    static func start() throws -> TestDirectoryServer? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/slapd"), FileManager.default.isExecutableFile(atPath: "/usr/bin/ldapadd") else {
            Issue.record("slapd or ldap-utils is not installed (Debian's slapd and ldap-utils); scripts/test.sh installs them")
            return nil
        }
        // A random port may be taken by another test's server; a second or third one will not be.
        var attempt = 0
        while true {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-ldap-\(UUID().uuidString)").path
            let port = Int.random(in: 20_000...40_000)
            do {
                try run("/bin/bash", [script, "start", folder, String(port)])
                return TestDirectoryServer(folder: folder, port: port, caPEM: try String(contentsOfFile: folder + "/ca.pem", encoding: .utf8))
            } catch where attempt < 2 {
                attempt += 1
                _ = try? run("/bin/bash", [script, "stop", folder])
            }
        }
    }

    /// Applies an LDIF change as the directory's administrator (ldapmodify over StartTLS).
    func modify(_ ldif: String) throws {
        let file = folder + "/change-\(UUID().uuidString).ldif"
        try ldif.write(toFile: file, atomically: true, encoding: .utf8)
        try Self.run("/usr/bin/ldapmodify", ["-x", "-ZZ", "-H", url, "-D", "cn=admin,\(Self.base)", "-w", "admin-secret", "-f", file],
                     environment: ["LDAPTLS_REQCERT": "never"])
    }

    func stop() {
        _ = try? Self.run("/bin/bash", [Self.script, "stop", folder])
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw DirectoryServerError(description: "\(tool) \(arguments.first ?? ""): \(text)")
        }
    }
}

struct DirectoryServerError: Error, CustomStringConvertible {
    let description: String
}
