import ArgumentParser
import CasebookMail
import CasebookServer
import Foundation

/// `casebook mail …`
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mail", abstract: "Email tools.", subcommands: [Parse.self])

    /// `casebook mail parse FILE`: what the parser made of one message, as JSON.
    struct Parse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print what the email parser made of one RFC 5322 message, as JSON.")

        @ArgumentParser.Argument(help: "The message file (- for standard input).") var file: String

        func run() async throws {
            let data: Data
            if file == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let contents = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("casebook: \(say("cli_cannot_read", ["path": file]))\n".utf8))
                    throw ExitCode(66)
                }
                data = contents
            }
            var output = try MailSummary(MailParser.parse(data)).json()
            output.append(0x0A)
            FileHandle.standardOutput.write(output)
        }
    }
}
