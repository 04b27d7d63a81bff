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
        let export = directory + "/export"
        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        try Self.writeExport(tickets: tickets, to: export)
        configuration.dataDirectory = directory
        configuration.runsJobs = false
        if case .sqlite = configuration.database { configuration.database = .sqlite(path: directory + "/bench.sqlite") }
        configuration.logLevel = "warning"
        let app = try await CasebookApp.make(configuration, environment: Environment(name: "production", arguments: ["casebook"]))
        do {
            let started = ContinuousClock.now
            let lines = try await HelpDeskImports.importExport(app, source: "zendesk", directory: export) { _, _ in }
            let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18 + Double((ContinuousClock.now - started).components.seconds)
            print(lines.first ?? "")
            print(String(format: "import, %d tickets (3 comments each): %.1f s, %.0f tickets/s", tickets, seconds, Double(tickets) / seconds))
            let again = ContinuousClock.now
            _ = try await HelpDeskImports.importExport(app, source: "zendesk", directory: export) { _, _ in }
            let rerun = Double((ContinuousClock.now - again).components.attoseconds) / 1e18 + Double((ContinuousClock.now - again).components.seconds)
            print(String(format: "the same export again (nothing to write): %.1f s, %.0f tickets/s", rerun, Double(tickets) / rerun))
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
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
