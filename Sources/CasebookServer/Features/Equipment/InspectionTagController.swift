import CasebookCore
import SQLKit
import Vapor

/// `/tags/{token}`: the public, read-only inspection page of an asset, and its QR code.
///
/// No sign-in: the 256-bit token in the address is the only key, so the page shows nothing
/// beyond what is printed on the equipment (name, type, last check, result, next due date).
struct InspectionTagController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let tags = routes.grouped("tags")
        tags.get(":token", use: page)
        tags.get(":token", "qr.svg", use: svg)
        tags.get(":token", "qr.png", use: png)
    }

    private func asset(_ req: Request) async throws -> AssetView {
        let token = try req.parameters.require("token")
        guard RandomToken.isWellFormed(token),
              let row = try await AssetRepository.find(tagToken: token, on: req.store.sql)
        else { throw Problem.notFound("The inspection tag") }
        return try AssetRepository.view(row, publicURL: req.casebook.configuration.equipment.publicURL)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let asset = try await asset(req)
        let last = try await InspectionRepository.last(assetID: asset.id, on: req.store.sql)
        let next = try await InspectionRepository.nextDue(assetID: asset.id, on: req.store.sql)
        let words = InspectionPages.words(acceptLanguage: req.headers.first(name: .acceptLanguage))
        let today = BusinessCalendar.allHours().localDay(of: req.now)
        return InspectionPages.tag(asset: asset, last: last, nextDue: next, today: today, words: words,
                                   language: words.title == InspectionPages.spanish.title ? "es" : "en")
    }

    @Sendable func svg(req: Request) async throws -> Response {
        let asset = try await asset(req)
        let code = try QRCode.encode(asset.inspectionURL)
        var headers = HTMLPage.securityHeaders
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        return Response(status: .ok, headers: headers, body: .init(string: code.svg()))
    }

    @Sendable func png(req: Request) async throws -> Response {
        let asset = try await asset(req)
        let scale = min(max(req.query[Int.self, at: "scale"] ?? 8, 2), 32)
        let code = try QRCode.encode(asset.inspectionURL)
        var headers = HTMLPage.securityHeaders
        headers.contentType = .png
        return Response(status: .ok, headers: headers, body: .init(data: Data(code.png(scale: scale))))
    }
}
