import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook bench imap`: fetch a full mailbox (IMAP or POP3 over TLS) into a scratch database and time it.
struct MailboxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imap", abstract: "Measure fetching a mailbox that holds mail: messages stored and applied per second (scripts/bench-imap.sh fills one).")

    @ArgumentParser.Option(help: "The mail server.") var host = "localhost"
    @ArgumentParser.Option(help: "Its IMAPS (or POP3S) port.") var port: Int
    @ArgumentParser.Option(help: "The mailbox's user.") var user: String
    @ArgumentParser.Option(help: "The mailbox's password.") var password: String
    @ArgumentParser.Option(help: "A PEM file with the server's CA, when it is not publicly trusted.") var ca: String?
    @ArgumentParser.Flag(help: "Fetch over POP3 instead of IMAP.") var pop3 = false
    @ArgumentParser.Option(help: "A scratch PostgreSQL database URL (default: a temporary SQLite file).") var databaseURL: String?

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-imap-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        configuration.database = .sqlite(path: directory + "/bench.sqlite")
        if let databaseURL {
            configuration.database = .postgres(url: databaseURL, schema: "imap_bench_" + String(UUID().uuidString.prefix(8)).lowercased())
        }
        let caPEM = try ca.map { try String(contentsOfFile: $0, encoding: .utf8) }
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            let target = MailboxBenchmark.Target(host: host, port: port, user: user, password: password, caPEM: caPEM, pop3: pop3)
            let figures = try await MailboxBenchmark.run(app, target: target) { print($0) }
            print("")
            for figure in figures { print(figure.name.padding(toLength: 72, withPad: " ", startingAt: 0) + String(format: "%10.2f ", figure.value) + figure.unit) }
            if case let .postgres(_, schema?) = configuration.database { try await AdminOperations.dropSchema(app, schema) }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
