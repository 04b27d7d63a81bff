@testable import CasebookServer
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
        ("CASEBOOK_BCRYPT_COST", "2"),
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
}
