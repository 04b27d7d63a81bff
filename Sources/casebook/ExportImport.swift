import ArgumentParser
import CasebookServer
import Foundation
import NIOConcurrencyHelpers

/// `casebook export`: everything as JSON Lines.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write all data as JSON Lines (to a file or standard output).")

    @ArgumentParser.Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?

    func run() async throws {
        let handle: FileHandle
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: nil), let file = FileHandle(forWritingAtPath: output) else {
                Bootstrap.fail(say("cli_cannot_write", ["path": output]))
            }
            handle = file
        } else {
            handle = FileHandle.standardOutput
        }
        let bar = ProgressBar(label: "export")
        try await Bootstrap.withApp { app in
            try await DataExport.run(app, write: { handle.write($0) }, progress: { bar.show($0, of: $1) })
        }
        bar.finish()
        try handle.synchronize()
    }
}

/// The import's input could not be read again for a second run of its write.
struct ImportRetry: Error, CustomStringConvertible {
    var description: String { say("cli_import_again_stdin") }
}

/// `casebook import`: load an export into an empty database.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a JSON Lines export into an empty database.")

    @ArgumentParser.Argument(help: "The export file (- for standard input).") var file: String

    func run() async throws {
        let path = file
        if path != "-" && FileHandle(forReadingAtPath: path) == nil { Bootstrap.fail(say("cli_cannot_read", ["path": path])) }
        let stdinTaken = NIOLockedValueBox(false)
        // A file is opened afresh each time the import's write runs; standard input can be read only once.
        let open: @Sendable () throws -> AsyncThrowingStream<Data, any Error> = {
            if path == "-" {
                guard !stdinTaken.withLockedValue({ taken in defer { taken = true }; return taken }) else { throw ImportRetry() }
                return LineReader.lines(from: FileHandle.standardInput)
            }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw ImportRetry() }
            return LineReader.lines(from: handle)
        }
        let bar = ProgressBar(label: "import")
        let count = try await Bootstrap.withApp { app in
            try await DataImport.run(app, lines: open, progress: { bar.show($0, of: nil) })
        }
        bar.finish()
        print(say.counted("cli_imported_rows", count: count))
    }
}

/// Splits a file into lines without holding it all in memory.
enum LineReader {
    static func lines(from handle: FileHandle) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            var pending = Data()
            while true {
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    continuation.yield(pending[pending.startIndex..<newline])
                    pending = Data(pending[(newline + 1)...])
                }
            }
            if !pending.isEmpty { continuation.yield(pending) }
            continuation.finish()
        }
    }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    let label: String
    /// What is counted, as the catalogue's `cli_progress_<unit>` keys name it (rows, files).
    let unit: String
    let enabled = isatty(STDERR_FILENO) == 1

    init(label: String, unit: String = "rows") {
        self.label = label
        self.unit = unit
    }

    func show(_ done: Int, of total: Int?) {
        guard enabled else { return }
        if let total, total > 0 {
            let width = 30
            let filled = min(width, done * width / total)
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(say("cli_progress_\(unit)_of", ["done": String(done), "total": String(total)]))".utf8))
        } else {
            FileHandle.standardError.write(Data("\r\(label): \(say("cli_progress_\(unit)", ["done": String(done)]))".utf8))
        }
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// `casebook import-rt`: bring a Request Tracker 5's tickets over through its REST 2 API.
struct ImportRT: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-rt",
        abstract: "Import every ticket of a Request Tracker 5 (queues, people, history, attachments); run it again to pick up new tickets.")

    @ArgumentParser.Option(help: "RT's address, such as https://rt.example.com.") var url: String
    @ArgumentParser.Option(help: "An RT auth token (or give --user and --password).") var token: String?
    @ArgumentParser.Option(help: "An RT user who may see every ticket.") var user: String?
    @ArgumentParser.Option(help: "That user's password (RT checks it once, instead of a token's hash on every request).") var password: String?

    func run() async throws {
        guard token != nil || (user != nil && password != nil) else { Bootstrap.fail(say("cli_rt_credentials")) }
        let bar = ProgressBar(label: "import-rt")
        let lines = try await Bootstrap.withApp { app in
            try await HelpDeskImports.importRT(app, url: url, token: token, user: user, password: password, progress: { bar.show($0, of: $1) })
        }
        bar.finish()
        lines.forEach { print($0) }
    }
}

/// `casebook import-zendesk` and `casebook import-freshdesk`: bring an exported help desk's tickets over from files.
struct ImportExportFiles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-export",
        abstract: "Import a Zendesk or Freshdesk export from a folder (tickets.json with comments or conversations, users/contacts, "
            + "organizations/companies, groups; attachments as attachments/<id>/<file name>); run it again and nothing comes twice.")

    @ArgumentParser.Option(help: "zendesk or freshdesk.") var from: String
    @ArgumentParser.Argument(help: "The folder the export is unpacked in.") var directory: String

    func run() async throws {
        guard ["zendesk", "freshdesk"].contains(from) else { Bootstrap.fail(say("cli_import_from_choice")) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else { Bootstrap.fail(say("cli_no_folder", ["path": directory])) }
        let bar = ProgressBar(label: "import-\(from)")
        let lines = try await Bootstrap.withApp { app in
            try await HelpDeskImports.importExport(app, source: from, directory: directory, progress: { bar.show($0, of: $1) })
        }
        bar.finish()
        lines.forEach { print($0) }
    }
}
