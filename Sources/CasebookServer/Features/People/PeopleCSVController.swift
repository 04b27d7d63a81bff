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
        return PeopleCSV.csvResponse(try await ContactCSV.export(on: req.store.sql), name: "contacts.csv")
    }

    @Sendable func exportOrganisations(req: Request) async throws -> Response {
        try req.authorize(.readPeople)
        return PeopleCSV.csvResponse(try await OrganisationCSV.export(on: req.store.sql), name: "organisations.csv")
    }

    @Sendable func importContacts(req: Request) async throws -> Response {
        try req.authorize(.managePeople(targetRole: .customer))
        let (mode, skip) = try PeopleCSV.options(req)
        let table = try PeopleCSV.table(req, known: ContactCSV.columns)
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
        let (mode, skip) = try PeopleCSV.options(req)
        let table = try PeopleCSV.table(req, known: OrganisationCSV.columns)
        let now = req.now
        // A preview only reads, so it does not wait for the writer.
        let result = mode == .preview
            ? try await OrganisationCSV.run(table, mode: mode, skipBadRows: skip, on: req.db, sql: req.store.sql, now: now)
            : try await req.store.write { db in
                try await OrganisationCSV.run(table, mode: mode, skipBadRows: skip, on: db, sql: req.store.sql(db), now: now)
            }
        return try await result.encodeResponse(status: mode == .apply ? .created : .ok, for: req)
    }
}
