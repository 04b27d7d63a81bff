import CasebookCore
import Foundation
import Vapor

/// Admin → Imports → Upload an export: a Zendesk or Freshdesk export's zip is unpacked into a folder of the import
/// folder and its import started, without anyone copying files onto the server. The page's script streams the file to
/// the API with a progress bar (up to `CASEBOOK_IMPORT_UPLOAD_MAX_MB`); without the script the form posts it whole,
/// up to the 40 MB every form may carry.
struct ImportUploadPage: RouteCollection {
    static let path = "/admin/imports/upload"
    static let sources = ["zendesk", "freshdesk"]

    func boot(routes: any RoutesBuilder) throws {
        let page = routes.grouped("admin", "imports", "upload")
        page.get(use: show)
        page.on(.POST, body: .collect(maxSize: CSRFProtection.largestForm), use: upload)
    }

    struct Context: Encodable {
        var page: PageChrome
        var sources: [AreaView.OptionView]
        var limitMB: Int
        var error: String?
        var words: Words

        /// The page's words that carry a figure or a name.
        struct Words: Encodable {
            var imports: String
            var limits: String
        }
    }

    private func render(_ req: Request, source: String, error: String?) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let text = AreaText(req)
        let chrome = req.chrome(text("Upload an export (.zip)"), area: "admin")
        let labels = ["zendesk": chrome.t["import_upload_zendesk"] ?? "Zendesk", "freshdesk": chrome.t["import_upload_freshdesk"] ?? "Freshdesk"]
        let limit = req.casebook.configuration.importUploadLimit / 1_048_576
        let limits = PlaceholderTemplate.render(chrome.t["import_upload_limits"] ?? "", values: ["limit": String(limit), "form": "40"])
        let context = Context(page: chrome, sources: Self.sources.map { .init(value: $0, label: labels[$0] ?? $0, selected: $0 == source) },
                              limitMB: limit, error: error, words: .init(imports: text("Imports from other help desks"), limits: limits))
        return try await req.view.render("import-upload", context).encodeResponse(status: error == nil ? .ok : .unprocessableEntity, for: req)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await render(req, source: "zendesk", error: nil)
    }

    /// The form without the script: the whole zip came with it; unpacked, then the import starts through the API, so
    /// the page applies the API's checks and messages.
    @Sendable func upload(req: Request) async throws -> Response {
        try req.authorize(.manageIntegrations)
        let source = (try? req.content.get(String.self, at: "source")) ?? ""
        let words = req.application.webText.strings(req.webLanguage())
        guard Self.sources.contains(source) else {
            return try await render(req, source: "zendesk", error: words["import_upload_pick_source"] ?? "Choose where the export comes from.")
        }
        guard let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 else {
            return try await render(req, source: source, error: words["import_upload_no_file"] ?? "Choose the export's zip file.")
        }
        do {
            let body = AsyncStream<ByteBuffer> { $0.yield(file.data); $0.finish() }
            let services = req.casebook
            let unpacked = try await ExportUpload.receive(body, named: file.filename, limit: services.configuration.importUploadLimit, services: services)
            let answer = try await InProcessAPI(req: req).call(.POST, "/api/v1/imports",
                                                               json: .object(["source": .string(source), "folder": .string(unpacked.folder)]))
            guard let id = answer.json?["id"]?.string else {
                let problem = answer.problem ?? PageProblem(status: answer.status, detail: answer.status.reasonPhrase)
                return try await render(req, source: source, error: refused(problem, words, FaultText(req)))
            }
            return req.redirect(to: "/admin/imports/" + id)
        } catch {
            guard let problem = Problem.from(error) else { throw error }
            let fields = Dictionary(problem.fieldErrors.map { ($0.field, $0.message) }, uniquingKeysWith: { first, _ in first })
            return try await render(req, source: source, error: refused(PageProblem(status: problem.status, detail: problem.detail, fields: fields), words, FaultText(req)))
        }
    }

    /// Why nothing was imported, in the reader's words, and that the file must be chosen again (no browser keeps a
    /// chosen file across a page).
    private func refused(_ problem: PageProblem, _ words: [String: String], _ faults: FaultText) -> String {
        let labels = ["file": words["import_upload_file"], "source": words["import_upload_source"], "folder": words["label_folder"]]
        let reason = faults.problem(problem) { labels[$0] ?? nil }.detail
        return PlaceholderTemplate.render(words["import_upload_refused"] ?? "Not imported: {{reason}}", values: ["reason": reason])
    }
}
