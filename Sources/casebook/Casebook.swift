import ArgumentParser
import CasebookServer
import Foundation
import Logging
import NIOCore
import NIOPosix
import Vapor

/// The `casebook` command.
@main
struct Casebook: AsyncParsableCommand {
    /// Parses the command line and runs the command, with Swift's tasks running on NIO's event loops.
    static func main() async {
        // Otherwise every request hops between NIO's threads and Swift's pool, and on two cores those thread switches
        // cost more than the work; this has to happen before any task is scheduled, so it is the first thing done.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "casebook",
        abstract: "Casebook: help desk and service management.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, TokenCommand.self, Demo.self, Export.self, Import.self, ImportRT.self, ImportExportFiles.self, MailCommand.self, Mailgate.self, Bench.self, ToneCommand.self, StorageCommand.self],
        defaultSubcommand: Serve.self)
}

/// Reads the configuration and sets up logging once, before any command runs.
enum Bootstrap {
    nonisolated(unsafe) private static var logging = false

    static func configuration() throws -> CasebookConfiguration {
        let configuration: CasebookConfiguration
        do {
            configuration = try CasebookConfiguration.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("casebook: \(error.description)\n".utf8))
            throw ExitCode(78)
        }
        if !logging {
            logging = true
            let level = Logger.Level(rawValue: configuration.logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler: any LogHandler = configuration.logFormat == .json
                    ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return configuration
    }

    /// Starts a configured app (migrations included), runs `body`, and always shuts it down.
    static func withApp<T>(_ body: (Application) async throws -> T) async throws -> T {
        let configuration = try configuration()
        let app: Application
        do {
            app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        } catch {
            fail(say("cli_could_not_start", ["reason": AdminOperations.describe(error)]))
        }
        do {
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            if error is ExitCode { throw error }
            fail(AdminOperations.describe(error))
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("casebook: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
