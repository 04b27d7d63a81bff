import ArgumentParser
import CasebookServer
import Foundation

/// `casebook user …`
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage people.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a person (admin, agent, account_manager or customer).")

        @ArgumentParser.Option(help: "Email address (unique).") var email: String
        @ArgumentParser.Option(help: "Full name.") var name: String
        @ArgumentParser.Option(help: "admin, agent, account_manager or customer.") var role: String
        @ArgumentParser.Option(help: "Organisation name or id (customers).") var org: String?
        @ArgumentParser.Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            var password: String?
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    Bootstrap.fail(say("cli_password_stdin_empty"))
                }
                password = line
            }
            let summary = try await Bootstrap.withApp { app in
                try await AdminOperations.addUser(app, email: email, name: name, role: role, organisation: org, password: password)
            }
            print(say("cli_user_added", ["user": summary]))
        }
    }
}

/// `casebook token …`
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage API tokens.", subcommands: [Issue.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue an API token; it is printed once and stored only as a hash.")

        @ArgumentParser.Option(help: "Email address of the token's owner.") var email: String
        @ArgumentParser.Option(help: "A name to recognise the token by.") var name = "CLI token"

        func run() async throws {
            let token = try await Bootstrap.withApp { app in
                try await AdminOperations.issueToken(app, email: email, name: name)
            }
            print(token)
        }
    }
}

/// `casebook demo`: load demo data into an empty database.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load realistic demo data (needs an empty database).")

    @ArgumentParser.Option(help: "How many cases to create.") var cases = 300

    func run() async throws {
        let summary = try await Bootstrap.withApp { app in try await DemoData.load(app, cases: cases) }
        print(say("cli_demo_loaded", ["organisations": String(summary.organisations), "people": String(summary.people), "cases": String(summary.cases)]))
        print(say("cli_demo_sign_in", ["first": "admin@casebook.example", "second": "lena@casebook.example", "third": "olivia.grant@northwind.example",
                                        "password": DemoData.password]))
    }
}
