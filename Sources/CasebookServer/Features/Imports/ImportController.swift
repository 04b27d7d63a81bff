import CasebookCore
import Foundation
import Vapor

/// `/imports`: bring a team's history over from Request Tracker (over its API) or a Zendesk or Freshdesk export (from the
/// import folder), with progress and what could not be mapped.
struct ImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let imports = routes.grouped("imports")
        imports.get(use: list)
        imports.post(use: start)
        imports.on(.POST, "uploads", body: .stream, use: upload)
        imports.get(":id", use: show)
    }

    struct StartRequest: Decodable, Sendable {
        var source: String
        var url: String?
        var token: String?
        var user: String?
        var password: String?
        var folder: String?

        enum CodingKeys: String, CodingKey, CaseIterable { case source, url, token, user, password, folder }

        init(from decoder: any Decoder) throws {
            try decoder.rejectUnknownKeys(CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decode(String.self, forKey: .source)
            url = try c.decodeIfPresent(String.self, forKey: .url).flatMap { $0.isEmpty ? nil : $0 }
            folder = try c.decodeIfPresent(String.self, forKey: .folder).flatMap { $0.isEmpty ? nil : $0 }
            token = try c.decodeIfPresent(String.self, forKey: .token).flatMap { $0.isEmpty ? nil : $0 }
            user = try c.decodeIfPresent(String.self, forKey: .user).flatMap { $0.isEmpty ? nil : $0 }
            password = try c.decodeIfPresent(String.self, forKey: .password).flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    @Sendable func list(req: Request) async throws -> [ImportRunView] {
        try req.authorize(.manageIntegrations)
        return try await ImportRunRepository.all(on: req.store.sql)
    }

    @Sendable func show(req: Request) async throws -> ImportRunView {
        try req.authorize(.manageIntegrations)
        guard let id = req.parameters.get("id", as: UUID.self), let found = try await ImportRunRepository.find(id, on: req.store.sql) else {
            throw Problem.notFound("The import")
        }
        return found.view
    }

    /// Takes an export's zip as the request body, written to disk as it arrives, and unpacks it into a new folder of the
    /// import folder (`?name=` names it after the uploaded file); an import is then started from that folder.
    @Sendable func upload(req: Request) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let name = (try? req.query.get(String.self, at: "name")) ?? "upload"
        let services = req.casebook
        let unpacked = try await ExportUpload.receive(req.body, named: name, limit: services.configuration.importUploadLimit, services: services)
        return try await unpacked.encodeResponse(status: .created, for: req)
    }

    /// Checks that the other system answers with these credentials, or that the export reads, then imports in the
    /// background.
    @Sendable func start(req: Request) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let input = try req.content.decode(StartRequest.self)
        let from: String
        let credentials: ImportRunRepository.Credentials
        switch input.source {
        case "rt":
            from = try await checkRT(input)
            credentials = .init(token: input.token, user: input.user, password: input.password)
        case "zendesk", "freshdesk":
            from = try await checkExport(input, configuration: req.casebook.configuration, reading: req.casebook.blockingIO)
            credentials = .init()
        default:
            throw Problem.invalid("source", "must be rt (Request Tracker 5, over its REST 2 API), zendesk or freshdesk (an export in the import folder)")
        }
        let now = req.now
        let id = try await req.store.write { db in
            let sql = req.store.sql(db)
            let id = try await ImportRunRepository.create(source: input.source, baseURL: from, credentials: credentials, at: now, on: sql)
            try await JobQueue.enqueue(.runImport, ImportJob(runID: id), runAt: now, on: sql)
            return id
        }
        req.application.jobs.nudge()
        guard let found = try await ImportRunRepository.find(id, on: req.store.sql) else { throw Problem.notFound("The import") }
        return try await found.view.encodeResponse(status: .accepted, for: req)
    }

    /// The RT's address, once it has answered with these credentials.
    private func checkRT(_ input: StartRequest) async throws -> String {
        guard let address = input.url, let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
              address.count <= 2000 else {
            throw Problem.invalid("url", "must be the RT's address, such as https://rt.example.com")
        }
        guard input.token != nil || (input.user != nil && input.password != nil) else {
            throw Problem.invalid("token", "give an RT auth token, or a user and password")
        }
        do {
            await (try await RTClient.connect(url: address, token: input.token, user: input.user, password: input.password)).close()
        } catch {
            throw Problem.invalid("url", "could not read Request Tracker there: \(error)")
        }
        return address
    }

    /// The export's folder name, once the export has been read (on `pool`, as a large one takes seconds).
    private func checkExport(_ input: StartRequest, configuration: CasebookConfiguration, reading pool: NIOThreadPool) async throws -> String {
        guard let folder = input.folder, ImportFolder.exists(folder, in: configuration) else {
            // The folders there are listed only for the refusal, so the admin can pick one.
            let there = ImportFolder.names(in: configuration)
            let choices = there.isEmpty ? "it holds no folder yet" : "it holds " + there.joined(separator: ", ")
            throw Problem.invalid("folder", "must name a folder in the import folder \(configuration.importFolder), where the export is unpacked; \(choices)")
        }
        do {
            // The people, groups and ticket records are read; no ticket is made and no attachment read until the import runs.
            let (source, directory) = (input.source, ImportFolder.path(of: folder, in: configuration))
            _ = try await pool.runIfActive { try ExportFileImport.load(source: source, directory: directory, window: 0..<0) }
        } catch {
            throw Problem.invalid("folder", "could not read a \(TicketWriter.sourceName(input.source)) export in '\(folder)': \(Problem.reason(error))")
        }
        return folder
    }
}

/// Imports from other help desks for the command line.
public enum HelpDeskImports {
    /// Imports every ticket of the RT at `url` now, reporting progress; returns the run's summary lines.
    public static func importRT(_ app: Application, url: String, token: String?, user: String?, password: String?,
                                progress: @escaping @Sendable (Int, Int) -> Void) async throws -> [String] {
        let services = app.casebook
        let id = try await services.store.write { db in
            try await ImportRunRepository.create(source: "rt", baseURL: url, credentials: .init(token: token, user: user, password: password),
                                                 at: services.clock(), on: services.store.sql(db))
        }
        try await RTImport(services: services).runAll(id, progress: progress)
        guard let view = try await ImportRunRepository.find(id, on: services.store.sql)?.view else { return [] }
        return [CommandText().importSummary(imported: view.imported, entries: view.entries, attachments: view.attachments,
                                            skipped: view.skipped, failed: view.failed)] + view.notes
    }
}
