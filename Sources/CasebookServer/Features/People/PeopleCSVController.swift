import CasebookCore
import Vapor

/// `/contacts/export|import` and `/organisations/export|import`: the people a desk serves as CSV, with a preview.
struct PeopleCSVController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("contacts", "export", use: exportContacts)
        routes.on(.POST, "contacts", "import", body: .collect(maxSize: "20mb"), use: importContacts)
        routes.get("organisations", "export", use: exportOrganisations)
        routes.on(.POST, "organisations", "import", body: .collect(maxSize: "20mb"), use: importOrganisations)
    }

    @Sendable func exportContacts(req: Request) async throws -> Response {
        try req.authorize(.readPeople)
        return Self.csvResponse(try await ContactCSV.export(on: req.store.sql), name: "contacts.csv")
    }

    @Sendable func exportOrganisations(req: Request) async throws -> Response {
        try req.authorize(.readPeople)
        return Self.csvResponse(try await OrganisationCSV.export(on: req.store.sql), name: "organisations.csv")
    }

    @Sendable func importContacts(req: Request) async throws -> Response {
        try req.authorize(.managePeople(targetRole: .customer))
        let (mode, skip) = try Self.options(req)
        let table = try Self.table(req, known: ContactCSV.columns)
        let now = req.now
        // A preview only reads, so it does not wait for the writer.
        let result = mode == .preview
            ? try await ContactCSV.run(table, mode: mode, skipBadRows: skip, on: req.db, sql: req.store.sql, now: now)
            : try await req.store.write { db in
                try await ContactCSV.run(table, mode: mode, skipBadRows: skip, on: db, sql: req.store.sql(db), now: now)
            }
        return try await result.encodeResponse(status: mode == .apply ? .created : .ok, for: req)
    }

    @Sendable func importOrganisations(req: Request) async throws -> Response {
        try req.authorize(.manageOrganisations)
        let (mode, skip) = try Self.options(req)
        let table = try Self.table(req, known: OrganisationCSV.columns)
        let now = req.now
        // A preview only reads, so it does not wait for the writer.
        let result = mode == .preview
            ? try await OrganisationCSV.run(table, mode: mode, skipBadRows: skip, on: req.db, sql: req.store.sql, now: now)
            : try await req.store.write { db in
                try await OrganisationCSV.run(table, mode: mode, skipBadRows: skip, on: db, sql: req.store.sql(db), now: now)
            }
        return try await result.encodeResponse(status: mode == .apply ? .created : .ok, for: req)
    }

    // MARK: Request parsing

    /// The file's table, with the columns checked against `known`.
    static func table(_ req: Request, known: [String]) throws -> CSVTable {
        guard let body = req.body.data, body.readableBytes > 0 else { throw Problem.badRequest("Send the CSV file as the request body (text/csv).") }
        let table: CSVTable
        do { table = try CSVTable.parse(String(decoding: body.readableBytesView, as: UTF8.self)) } catch { throw Problem.invalid("csv", error.description) }
        if let unknown = table.header.first(where: { !known.contains($0) }) {
            throw Problem.invalid("csv", "column '\(unknown)' is not one of \(known.joined(separator: ", "))")
        }
        guard table.rows.count <= PeopleCSV.maxRows else { throw Problem.invalid("csv", "holds more than \(PeopleCSV.maxRows) rows; split it") }
        return table
    }

    /// The mode and whether bad rows are skipped, from the query.
    static func options(_ req: Request) throws -> (mode: CSVImportMode, skipBadRows: Bool) {
        let text = req.query[String.self, at: "mode"] ?? "apply"
        guard let mode = CSVImportMode(rawValue: text) else { throw Problem.invalid("mode", "must be preview or apply") }
        let skip = req.query[String.self, at: "skip_bad_rows"] ?? "false"
        guard ["true", "false"].contains(skip) else { throw Problem.invalid("skip_bad_rows", "must be true or false") }
        return (mode, skip == "true")
    }

    static func csvResponse(_ text: String, name: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.add(name: .contentDisposition, value: "attachment; filename=\"\(name)\"")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }

}
