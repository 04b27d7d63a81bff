import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook serve`: migrate, then answer HTTP until stopped.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server (migrations run first).")

    @ArgumentParser.Option(help: "Address to listen on (overrides CASEBOOK_HOST).") var hostname: String?
    @ArgumentParser.Option(help: "Port to listen on (overrides CASEBOOK_PORT).") var port: Int?

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        if let hostname { configuration.hostname = hostname }
        if let port { configuration.port = port }
        let app: Application
        do {
            app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook", "serve"]))
        } catch {
            Bootstrap.fail(say("cli_could_not_start", ["reason": AdminOperations.describe(error)]))
        }
        do {
            // Returns on SIGTERM or SIGINT.
            try await app.execute()
            await CasebookApp.stopGracefully(app)
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            Bootstrap.fail(AdminOperations.describe(error))
        }
    }
}

/// `casebook migrate`: bring the database schema up to date and stop.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations.")

    func run() async throws {
        try await Bootstrap.withApp { _ in print(say("cli_migrations_done")) }
    }
}
