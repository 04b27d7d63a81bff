@testable import CasebookServer
import Foundation
import SQLKit
import Testing
import Vapor

@Suite("Assets, CSV import and inspection tags")
struct AssetAPITests {
    static func asset(_ app: Application, _ f: Fixture, name: String = "Core switch", serial: String? = "SN-100",
                      criticality: String = "high", extra: [String: Any] = [:]) async throws -> [String: Any] {
        var body: [String: Any] = ["organisation_id": f.organisationID, "name": name, "asset_type": "Switch", "criticality": criticality,
                                   "model": "CX-9000", "location": "Madrid DC, room B", "monitored": true]
        if let serial { body["serial"] = serial }
        for (key, value) in extra { body[key] = value }
        let created = try await app.call(.POST, "/api/v1/assets", token: f.agent, json: body)
        guard created.status == .created else { throw FixtureError(message: created.text) }
        return created.json
    }

    @Test("assets: create, read, change, filter, link cases; customers see none of it", arguments: TestDatabase.all)
    func crud(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let created = try await Self.asset(app, f)
            let id = created["id"] as! String
            #expect(created["asset_type"] as? String == "switch" && created["criticality"] as? String == "high")
            let url = created["inspection_url"] as! String
            #expect(url.hasPrefix("http://127.0.0.1:8080/tags/") && url.count == "http://127.0.0.1:8080/tags/".count + 43)

            let changed = try await app.call(.PATCH, "/api/v1/assets/\(id)", token: f.agent, json: ["criticality": "mission_critical", "model": NSNull()])
            #expect(changed.status == .ok && changed.json["criticality"] as? String == "mission_critical" && changed.json["model"] == nil, "cleared")
            #expect(try await app.call(.GET, "/api/v1/assets?organisation_id=\(f.organisationID)&q=core", token: f.manager).list.count == 1)
            #expect(try await app.call(.GET, "/api/v1/assets?organisation_id=\(f.otherOrganisationID)", token: f.agent).list.isEmpty)

            let reference = try await f.openCase(app)
            #expect(try await app.call(.POST, "/api/v1/assets/\(id)/cases", token: f.agent, json: ["reference": reference]).status == .noContent)
            let shown = try await app.call(.GET, "/api/v1/assets/\(id)", token: f.agent)
            #expect((shown.json["cases"] as? [[String: Any]])?.first?["reference"] as? String == reference)
            #expect(try await app.call(.DELETE, "/api/v1/assets/\(id)/cases/\(reference)", token: f.agent).status == .noContent)

            #expect(try await app.call(.GET, "/api/v1/assets", token: f.customer).status == .forbidden)
            #expect(try await app.call(.POST, "/api/v1/assets", token: f.manager, json: ["name": "x"]).status == .forbidden)
            // Bad input: a clear 4xx and nothing written.
            let before = try await rowCount(app, "assets")
            for body: [String: Any] in [
                ["name": "No owner", "asset_type": "ups"],
                ["organisation_id": f.organisationID, "name": "", "asset_type": "ups"],
                ["organisation_id": f.organisationID, "name": "UPS", "asset_type": "ups", "criticality": "vital"],
                ["organisation_id": UUID().uuidString, "name": "UPS", "asset_type": "ups"],
                ["organisation_id": f.organisationID, "name": "UPS", "asset_type": "ups", "warranty_ends_on": "soon"],
                ["organisation_id": f.organisationID, "name": "UPS", "asset_type": "ups", "colour": "red"],
            ] {
                let refused = try await app.call(.POST, "/api/v1/assets", token: f.agent, json: body)
                #expect(refused.status.code >= 400 && refused.status.code < 500 && refused.isProblem, "\(body)")
            }
            let duplicate = try await app.call(.POST, "/api/v1/assets", token: f.agent,
                                               json: ["organisation_id": f.organisationID, "name": "Twin", "asset_type": "switch", "serial": "SN-100"])
            #expect(duplicate.status == .conflict)
            #expect(try await rowCount(app, "assets") == before)
        }
    }

    @Test("CSV import stores every row or none, and names the rows at fault", arguments: TestDatabase.all)
    func csvImport(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let good = #"""
            name,type,organisation,serial,criticality,monitored,location,warranty_ends_on
            "UPS, main",ups,Acme,U-1,Mission critical,yes,"Room ""B""",2027-06-30
            Chiller 2,chiller,acme,C-2,low,no,Roof,
            """#
            let imported = try await app.call(.POST, "/api/v1/assets/import", token: f.agent, raw: good, headers: [("Content-Type", "text/csv")])
            #expect(imported.status == .created, "\(imported.text)")
            #expect(imported.json["imported"] as? Int == 2)
            let assets = try await app.call(.GET, "/api/v1/assets?asset_type=ups", token: f.agent).list
            #expect(assets.first?["name"] as? String == "UPS, main" && assets.first?["criticality"] as? String == "mission_critical")
            #expect(assets.first?["location"] as? String == "Room \"B\"" && assets.first?["warranty_ends_on"] as? String == "2027-06-30")

            let bad = """
            name,type,organisation,criticality
            Good one,router,Acme,high
            ,router,Acme,high
            Bad org,router,Initech,high
            Bad level,router,Acme,extreme
            """
            let refused = try await app.call(.POST, "/api/v1/assets/import", token: f.agent, raw: bad, headers: [("Content-Type", "text/csv")])
            #expect(refused.status == .unprocessableEntity && refused.isProblem)
            let fields = (refused.json["errors"] as? [[String: Any]] ?? refused.json["field_errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["row 3", "row 4", "row 5"], "\(refused.text)")
            let duplicateSerial = "name,type,organisation,serial\nAgain,ups,Acme,U-1\n"
            #expect(try await app.call(.POST, "/api/v1/assets/import", token: f.agent, raw: duplicateSerial, headers: [("Content-Type", "text/csv")]).status == .conflict)
            #expect(try await app.call(.POST, "/api/v1/assets/import", token: f.agent, raw: "name,colour\nx,red\n", headers: [("Content-Type", "text/csv")]).status == .unprocessableEntity)
            #expect(try await app.call(.POST, "/api/v1/assets/import", token: f.agent, raw: "name\n\"open", headers: [("Content-Type", "text/csv")]).status == .unprocessableEntity)
            #expect(try await rowCount(app, "assets") == 2)
        }
    }

    @Test("the inspection tag is public, read-only, escaped, in the reader's language, and its QR code decodes to its address", arguments: TestDatabase.all)
    func inspectionTag(database: TestDatabase) async throws {
        try await withCasebook(database) { app in
            let f = try await Fixture.make(app)
            let created = try await Self.asset(app, f, name: "<script>alert(1)</script> Rack")
            let url = created["inspection_url"] as! String
            let path = String(url.dropFirst("http://127.0.0.1:8080".count))
            let page = try await app.call(.GET, path)
            #expect(page.status == .ok && page.headers.contentType?.subType == "html")
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt; Rack") && !page.text.contains("<script>"))
            #expect(page.text.contains("Not inspected yet") && page.text.contains("Madrid DC, room B"))
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("default-src 'none'") == true)
            let spanish = try await app.call(.GET, path, headers: [("Accept-Language", "es-ES,es;q=0.9")])
            #expect(spanish.text.contains("Aún sin inspeccionar") && spanish.text.contains("lang=\"es\""))
            #expect(try await app.call(.GET, "/tags/" + String(repeating: "a", count: 43)).status == .notFound)
            #expect(try await app.call(.GET, "/tags/short").status == .notFound)
            let posted = try await app.call(.POST, path)
            #expect(posted.status == .notFound || posted.status == .methodNotAllowed, "the tag is read-only")

            let svg = try await app.call(.GET, path + "/qr.svg")
            #expect(svg.status == .ok && svg.text.hasPrefix("<svg"))
            let png = try await app.call(.GET, path + "/qr.png?scale=4")
            #expect(png.status == .ok && png.headers.contentType == .png)
            if let zbar = ["/usr/bin/zbarimg"].first(where: FileManager.default.isExecutableFile(atPath:)) {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("tag-\(UUID().uuidString).png")
                try png.body.write(to: file)
                defer { try? FileManager.default.removeItem(at: file) }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: zbar)
                process.arguments = ["--raw", "-q", file.path]
                let output = Pipe()
                process.standardOutput = output
                try process.run()
                let decoded = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .newlines)
                process.waitUntilExit()
                #expect(decoded == url)
            } else {
                Issue.record("zbarimg is not installed (Debian's zbar-tools); scripts/test.sh installs it")
            }
            let label = try await app.call(.GET, "/api/v1/assets/\(created["id"] as! String)/label", token: f.agent)
            #expect(label.status == .ok && label.text.contains("<svg") && label.text.contains("SN SN-100"))
            #expect(try await app.call(.GET, "/api/v1/assets/\(created["id"] as! String)/label", token: f.customer).status == .forbidden)
        }
    }
}
