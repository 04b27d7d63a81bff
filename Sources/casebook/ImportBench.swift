import ArgumentParser
import CasebookServer
import Foundation
import Vapor

/// `casebook bench import`: a synthetic Zendesk export of N tickets imported into a scratch database; prints tickets/s.
struct ImportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Measure importing a Zendesk export from files.")

    @ArgumentParser.Option(help: "Tickets in the export (each with three comments, one internal).") var tickets = 20_000

    func validate() throws {
        guard (100...1_000_000).contains(tickets) else { throw ValidationError("--tickets 100…1000000") }
    }

    func run() async throws {
        var configuration = try Bootstrap.configuration()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-import-bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let export = directory + "/imports/export"
        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        try Self.writeExport(tickets: tickets, to: export)
        configuration.dataDirectory = directory
        configuration.importDirectory = nil
        configuration.runsJobs = false
        configuration.logLevel = "warning"
        for path in ["files", "slices"] {
            if case .sqlite = configuration.database { configuration.database = .sqlite(path: directory + "/bench-\(path).sqlite") }
            let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
            do {
                try await measure(path, app: app, export: export)
                try await app.asyncShutdown()
            } catch {
                try? await app.asyncShutdown()
                throw error
            }
            // A server database is shared by both paths; the second would find every ticket already there.
            guard case .sqlite = configuration.database else { break }
        }
    }

    /// Imports the export into an empty database, then again (nothing to write); `files` is the command line's way,
    /// `slices` the admin pages' (a run of 2,000-record slices, each reading the export afresh).
    private func measure(_ path: String, app: Application, export: String) async throws {
        func importing() async throws -> (line: String, seconds: Double) {
            let started = ContinuousClock.now
            let line = path == "files"
                ? try await HelpDeskImports.importExport(app, source: "zendesk", directory: export) { _, _ in }.first ?? ""
                : try await HelpDeskImports.importExportInSlices(app, source: "zendesk", folder: "export")
            let elapsed = ContinuousClock.now - started
            return (line, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        let first = try await importing()
        print(first.line)
        let label = path == "files" ? "import from files" : "import in the admin pages' slices"
        print(label + String(format: ", %d tickets (3 comments each): %.1f s, %.0f tickets/s", tickets, first.seconds, Double(tickets) / first.seconds))
        let again = try await importing()
        print(label + String(format: ", the same export again (nothing to write): %.1f s, %.0f tickets/s", again.seconds, Double(tickets) / again.seconds))
    }

    /// Zendesk's full-export shape: one ticket a line with its comments; 500 customers in 50 organisations, 20 agents, 5 groups.
    static func writeExport(tickets: Int, to directory: String) throws {
        let users = (0..<500).map { #"{"id":\#(1000 + $0),"name":"Customer \#($0)","email":"c\#($0)@org\#($0 % 50).example","role":"end-user","organization_id":\#(100 + $0 % 50)}"# }
            + (0..<20).map { #"{"id":\#(5000 + $0),"name":"Agent \#($0)","email":"agent\#($0)@support.example","role":"agent"}"# }
        try Data(("{\"users\":[" + users.joined(separator: ",") + "]}").utf8).write(to: URL(fileURLWithPath: directory + "/users.json"))
        let organizations = (0..<50).map { #"{"id":\#(100 + $0),"name":"Organisation \#($0)"}"# }
        try Data(("{\"organizations\":[" + organizations.joined(separator: ",") + "]}").utf8).write(to: URL(fileURLWithPath: directory + "/organizations.json"))
        try Data(("{\"groups\":[" + (0..<5).map { #"{"id":\#(10 + $0),"name":"Group \#($0)"}"# }.joined(separator: ",") + "]}").utf8)
            .write(to: URL(fileURLWithPath: directory + "/groups.json"))
        var text = ""
        text.reserveCapacity(tickets * 900)
        let statuses = ["new", "open", "pending", "solved", "closed"]
        for n in 0..<tickets {
            let customer = 1000 + n % 500, agent = 5000 + n % 20
            let day = String(format: "2025-%02d-%02dT%02d:%02d:00Z", 1 + n % 12, 1 + n % 28, n % 24, n % 60)
            text += #"{"id":\#(n + 1),"subject":"Ticket \#(n) about the printer on floor \#(n % 9)","status":"\#(statuses[n % 5])","priority":"normal","#
                + #""requester_id":\#(customer),"assignee_id":\#(agent),"group_id":\#(10 + n % 5),"created_at":"\#(day)","updated_at":"\#(day)","tags":["t\#(n % 30)"],"#
                + #""comments":[{"id":\#(n * 3),"author_id":\#(customer),"body":"It jams on page \#(n % 40) every morning since the update.","public":true,"created_at":"\#(day)"},"#
                + #"{"id":\#(n * 3 + 1),"author_id":\#(agent),"body":"Checked the logs: firmware \#(n % 7).","public":false,"created_at":"\#(day)"},"#
                + #"{"id":\#(n * 3 + 2),"author_id":\#(agent),"body":"Please update the firmware and tell us.","public":true,"created_at":"\#(day)"}]}"# + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/tickets.json"))
    }
}
