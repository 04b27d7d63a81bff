import CasebookCore
import Fluent
import SQLKit
import Vapor

/// `/cases/{reference}/messages`, `/timeline` and `/attachments`: the record of a case.
struct MessageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let one = routes.grouped("cases", ":reference")
        one.get("messages", use: list)
        one.on(.POST, "messages", body: .collect(maxSize: "40mb"), use: create)
        one.post("messages", "similarity", use: similarity)
        one.get("timeline", use: timeline)
        one.get("attachments", ":attachment", use: download)
    }

    /// Loads the case and checks the caller may read it; returns whether they may see internal entries.
    @Sendable func list(req: Request) async throws -> [MessageView] {
        let model = try await req.readableCase()
        let seesInternal = try req.seesInternal
        let messages = try await ConversationRepository.messages(caseID: model.id, includeInternal: seesInternal, on: req.store.sql)
        let attachments = try await ConversationRepository.attachments(caseID: model.id, on: req.store.sql)
        let byMessage = Dictionary(grouping: attachments, by: \.0).mapValues { $0.map(\.1) }
        return messages.map { message in
            var view = MessageView(message, attachments: byMessage[message.id] ?? [])
            if seesInternal {
                view.tone = message.tone
                view.toneEvidence = message.toneEvidence.flatMap { try? JSONDecoder().decode([ToneEvidence].self, from: Data($0.utf8)) }
            }
            return view
        }
    }

    @Sendable func create(req: Request) async throws -> Response {
        let current = try req.current
        let reference = try req.parameters.require("reference")
        let input = try req.content.decode(MessageCreateRequest.self)
        let services = req.casebook
        // The files go to the file store before the write, so the write only records them (as a new case's do), and
        // only once the caller is known to be allowed to write on the case.
        let prepare: @Sendable () async throws -> [AttachmentUpload]? = {
            try await AddMessage(services: services).keptFiles(of: input, reference: reference, by: current)
        }
        return try await Idempotency.answering(req, prepare: prepare) { kept, db in
            var input = input
            input.attachments = kept
            switch try await SendReply(services: services).run(reference: reference, input: input, by: current, on: db) {
            case let .held(draft): return (.accepted, ReplyAnswer.held(draft))
            case let .sent(message): return (.created, ReplyAnswer.sent(try await Self.view(of: message, by: current, services: services, on: db)))
            }
        }
    }

    /// The sent message as the API answers it, with a warning when it repeats the previous update.
    private static func view(of message: MessageRecord, by current: CurrentActor, services: CasebookServices, on db: any Database) async throws -> MessageView {
        let sql = services.store.sql(db)
        let attachments = try await ConversationRepository.attachments(messageID: message.id, on: sql).map(\.1)
        var view = MessageView(message, attachments: attachments)
        if current.actor.role.isStaff, message.visibility == Visibility.public.rawValue,
           let warning = try await RepeatedUpdateCheck.compare(message.text, caseID: message.caseID, excluding: message.id, on: sql),
           warning.similarity >= warning.threshold {
            view.warnings = [warning]
        }
        return view
    }

    /// Body of a similarity check.
    struct SimilarityRequest: Content {
        var text: String
    }

    /// How alike a draft update is to the previous public update (for the composer, before sending).
    @Sendable func similarity(req: Request) async throws -> RepeatedUpdateCheck.Warning {
        let model = try await req.readableCase()
        let seesInternal = try req.seesInternal
        guard seesInternal else { throw Problem.forbidden("Only staff compare updates.") }
        let input = try req.content.decode(SimilarityRequest.self)
        guard !input.text.isEmpty, input.text.count <= 100_000 else { throw Problem.invalid("text", "must be 1 to 100000 characters") }
        guard let warning = try await RepeatedUpdateCheck.compare(input.text, caseID: model.id, excluding: nil, on: req.store.sql) else {
            throw Problem.notFound("A previous public update")
        }
        return warning
    }

    @Sendable func timeline(req: Request) async throws -> [TimelineEntryView] {
        let model = try await req.readableCase()
        let seesInternal = try req.seesInternal
        return try await ConversationRepository.timeline(caseID: model.id, includeInternal: seesInternal, on: req.store.sql)
    }

    @Sendable func download(req: Request) async throws -> Response {
        let model = try await req.readableCase()
        let seesInternal = try req.seesInternal
        guard let id = req.parameters.get("attachment", as: UUID.self),
              let attachment = try await AttachmentModel.find(id, on: req.db), attachment.caseID == model.id,
              let message = try await MessageModel.find(attachment.messageID, on: req.db),
              seesInternal || message.visibility == Visibility.public.rawValue,
              let data = try await req.casebook.blobs.get(attachment.sha256)
        else { throw Problem.notFound("The attachment") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: attachment.contentType)
        let asciiName = attachment.filename.filter { $0.isASCII && $0 != "\"" && $0 != "\\" }
        let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(asciiName)\"; filename*=UTF-8''\(encoded)")
        headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        // The type is the sender's word: if a browser ever shows the file instead of saving it, it runs nothing.
        headers.replaceOrAdd(name: "Content-Security-Policy", value: "sandbox; default-src 'none'")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
