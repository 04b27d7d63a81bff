import CasebookCore
import Foundation
import Vapor

extension File {
    /// A file from a form as the message and case use cases take it; nil when the field was left empty.
    var attachmentUpload: AttachmentUpload? {
        guard data.readableBytes > 0 else { return nil }
        return AttachmentUpload(filename: filename, contentType: contentType?.description, data: Data(buffer: data).base64EncodedString())
    }
}

/// A reply or note posted from a page, with at most one attachment.
struct PageReply {
    let reference: String
    let current: CurrentActor
    var input: MessageCreateRequest

    /// Reads the case reference, the caller and the text and file fields every reply form has.
    init(_ req: Request, text: String, file: File?, visibility: Visibility) throws {
        current = try req.current
        reference = try req.parameters.require("reference")
        input = MessageCreateRequest(text: text)
        input.visibility = visibility
        input.attachments = file?.attachmentUpload.map { [$0] }
    }

    /// Adds the message through the same use case as the API: sent, or held for a fluent colleague's review.
    func send(_ req: Request) async throws -> SendReply.Outcome {
        let services = req.casebook
        var input = input
        input.attachments = try await AddMessage(services: services).keptFiles(of: input, reference: reference, by: current)
        let (kept, reference, current) = (input, reference, current)
        return try await req.store.write { db in
            try await SendReply(services: services).run(reference: reference, input: kept, by: current, on: db)
        }
    }
}
