import CasebookCore
import Fluent
import Vapor

/// `/cases/{reference}/messages`, `/timeline` and `/attachments`: the record of a case.
struct MessageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("cases", ":reference")
        one.get("messages", use: list)
        one.on(.POST, "messages", body: .collect(maxSize: "40mb"), use: create)
        one.get("timeline", use: timeline)
        one.get("attachments", ":attachment", use: download)
    }

    /// Loads the case and checks the caller may read it; returns whether they may see internal entries.
    private func readableCase(_ req: Request) async throws -> (CaseModel, Bool) {
        let reference = try req.parameters.require("reference")
        let model = try await CaseLookup.find(reference, prefix: req.casebook.configuration.referencePrefix, on: req.db)
        try req.authorize(.readCase(CaseLookup.facts(model)), notFound: "Case \(reference)")
        return (model, AccessPolicy.decide(.readInternal, for: try req.actor) == .allowed)
    }

    @Sendable func list(req: Request) async throws -> [MessageView] {
        let (model, seesInternal) = try await readableCase(req)
        var query = MessageModel.query(on: req.db).filter(\.$caseID == (try model.requireID()))
        if !seesInternal { query = query.filter(\.$visibility == Visibility.public.rawValue) }
        let messages = try await query.sort(\.$createdAt).sort(\.$id).all()
        let attachments = try await AttachmentModel.query(on: req.db).filter(\.$caseID == model.requireID()).all()
        let byMessage = Dictionary(grouping: attachments, by: \.messageID)
        return messages.map { MessageView($0, attachments: byMessage[$0.id ?? UUID()] ?? []) }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let input = try req.content.decode(MessageCreateRequest.self)
        let services = req.casebook
        return try await Idempotency.create(req) { db in
            let message = try await AddMessage(services: services).run(reference: reference, input: input, by: current, on: db)
            let attachments = try await AttachmentModel.query(on: db).filter(\.$messageID == message.requireID()).all()
            return MessageView(message, attachments: attachments)
        }
    }

    @Sendable func timeline(req: Request) async throws -> [TimelineEntryView] {
        let (model, seesInternal) = try await readableCase(req)
        var query = TimelineEntryModel.query(on: req.db).filter(\.$caseID == (try model.requireID()))
        if !seesInternal { query = query.filter(\.$visibility == Visibility.public.rawValue) }
        return try await query.sort(\.$position).all().map(TimelineEntryView.init)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let (model, seesInternal) = try await readableCase(req)
        guard let id = req.parameters.get("attachment", as: UUID.self),
              let attachment = try await AttachmentModel.find(id, on: req.db), attachment.caseID == model.id,
              let message = try await MessageModel.find(attachment.messageID, on: req.db),
              seesInternal || message.visibility == Visibility.public.rawValue,
              let data = req.casebook.attachments.get(attachment.sha256)
        else { throw Problem.notFound("The attachment") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: attachment.contentType)
        let asciiName = attachment.filename.filter { $0.isASCII && $0 != "\"" && $0 != "\\" }
        let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
