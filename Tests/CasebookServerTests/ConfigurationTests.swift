@testable import CasebookServer
import Foundation
import Testing

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("defaults run on SQLite under ./casebook-data")
    func defaults() throws {
        let configuration = try CasebookConfiguration.fromEnvironment([:])
        #expect(configuration.database == .sqlite(path: "casebook-data/casebook.sqlite"))
        #expect(configuration.port == 8080 && configuration.hostname == "127.0.0.1")
        #expect(configuration.referencePrefix == "CB")
    }

    @Test("a postgres URL selects PostgreSQL")
    func postgres() throws {
        let configuration = try CasebookConfiguration.fromEnvironment(["CASEBOOK_DATABASE_URL": "postgres://u:p@127.0.0.1:5432/cb"])
        #expect(configuration.database == .postgres(url: "postgres://u:p@127.0.0.1:5432/cb"))
    }

    @Test("a bad value names the variable", arguments: [
        ("CASEBOOK_PORT", "eighty"), ("CASEBOOK_PORT", "70000"), ("CASEBOOK_DATABASE_URL", "mysql://x"),
        ("CASEBOOK_REFERENCE_PREFIX", "cb-"), ("CASEBOOK_SECURE_COOKIES", "maybe"), ("CASEBOOK_LOG_LEVEL", "loud"),
        ("CASEBOOK_BCRYPT_COST", "2"), ("CASEBOOK_MAIL_TRANSPORT", "pigeon"), ("CASEBOOK_MAIL_FROM", "not an address"),
        ("CASEBOOK_RELAY_STARTTLS", "sometimes"), ("CASEBOOK_MAIL_UNKNOWN_SENDERS", "ignore"), ("CASEBOOK_JOBS", "perhaps"),
        ("CASEBOOK_SMTP_PORT", "smtp"),
    ])
    func badValue(name: String, value: String) {
        do {
            _ = try CasebookConfiguration.fromEnvironment([name: value])
            Issue.record("\(name)=\(value) was accepted")
        } catch {
            #expect(error.variable == name)
            #expect(error.description.contains(name))
        }
    }

    @Test("the SMTP listener needs its recipients; TLS needs both files; plus-addressed case tags are accepted")
    func smtpListener() throws {
        let base = ["CASEBOOK_SMTP_PORT": "2525", "CASEBOOK_SMTP_RECIPIENTS": "Support@CB.example, @help.example"]
        let settings = try #require(try CasebookConfiguration.fromEnvironment(base).smtp)
        #expect(settings.recipients == ["support@cb.example", "@help.example"])
        #expect(settings.accepts("support@cb.example") && settings.accepts("support+cb-10423@cb.example") && settings.accepts("x@help.example"))
        #expect(!settings.accepts("sales@cb.example") && !settings.accepts("x@nothelp.example"))
        #expect(try CasebookConfiguration.fromEnvironment([:]).smtp == nil, "off unless a port is given")
        for broken in [["CASEBOOK_SMTP_PORT": "2525"], base.merging(["CASEBOOK_SMTP_RECIPIENTS": "nobody"]) { $1 },
                       base.merging(["CASEBOOK_SMTP_TLS_CERT": "/tmp/cert.pem"]) { $1 },
                       base.merging(["CASEBOOK_SMTP_REQUIRE_TLS": "true"]) { $1 },
                       ["CASEBOOK_RELAY_USERNAME": "desk"]] {
            #expect(throws: ConfigurationError.self) { try CasebookConfiguration.fromEnvironment(broken) }
        }
    }
}

@Suite("Starting up")
struct StartUpTests {
    @Test("a database that refuses connections fails the start with an error, and everything opened so far is closed")
    func unreachableDatabase() async throws {
        var configuration = CasebookConfiguration()
        // Nothing listens on port 1; before the fix the webhook sender's HTTP client, never shut down, trapped here.
        configuration.database = .postgres(url: "postgres://casebook@127.0.0.1:1/casebook")
        configuration.databasePoolTimeoutSeconds = 2
        configuration.dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-start-\(UUID().uuidString)").path
        await #expect(throws: (any Error).self) { _ = try await CasebookApp.make(configuration, environment: .testing) }
    }
}
