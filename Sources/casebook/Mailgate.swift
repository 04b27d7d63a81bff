import ArgumentParser
import CasebookServer
import Foundation

/// `casebook mailgate`: one message on standard input, stored and applied (for a mail server's pipe).
struct Mailgate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Deliver one message from standard input; exits non-zero only when it was not stored.")

    func run() async throws {
        let raw = FileHandle.standardInput.readDataToEndOfFile()
        let outcome = try await Bootstrap.withApp { app in try await AdminOperations.deliverEmail(app, raw: raw) }
        FileHandle.standardError.write(Data("casebook mailgate: \(outcome)\n".utf8))
    }
}
