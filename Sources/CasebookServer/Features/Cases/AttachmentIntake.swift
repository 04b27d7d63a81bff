import CasebookCore
import Fluent
import Foundation
import SQLKit

/// Checks uploaded files against the limits, then stores them content-addressed.
struct AttachmentIntake {
    let services: CasebookServices

    struct DecodedFile {
        let filename: String
        let contentType: String
        let data: Data
        /// The content store's digest when the file is already there.
        var digest: String?
    }

    func decode(_ uploads: [AttachmentUpload]?) throws -> [DecodedFile] {
        guard let uploads, !uploads.isEmpty else { return [] }
        guard uploads.count <= 20 else { throw DomainError.invalid("attachments", "may hold at most 20 files") }
        return try uploads.enumerated().map { index, upload in
            let field = "attachments[\(index)]"
            let filename = FileName.clean(upload.filename)
            guard !filename.isEmpty else { throw DomainError.invalid("\(field).filename", "must not be empty") }
            guard let data = upload.bytes ?? Data(base64Encoded: upload.data, options: [.ignoreUnknownCharacters]),
                  upload.bytes != nil || !upload.data.isEmpty || data.isEmpty
            else { throw DomainError.invalid("\(field).data", "must be base64") }
            guard data.count <= services.configuration.maxAttachmentBytes else {
                throw DomainError.tooLarge("'\(filename)' is \(data.count) bytes; the limit is \(services.configuration.maxAttachmentBytes).",
                                           field: "\(field).data")
            }
            let type = upload.contentType?.trimmingCharacters(in: .whitespaces) ?? ""
            let isMediaType = type.split(separator: "/").count == 2 && type.count <= 200 && !type.contains(where: { $0.isWhitespace })
            return DecodedFile(filename: filename, contentType: isMediaType ? type.lowercased() : "application/octet-stream", data: data,
                               digest: upload.digest)
        }
    }

    /// Checks the files and puts them in the file store now, before the write, so the write that records them
    /// only writes rows: a file written inside it held the single writer through the file's fsync, and mail with
    /// attachments was applied at half the speed. A write that then fails leaves a file nobody names, as before.
    func keep(_ uploads: [AttachmentUpload]?) async throws -> [AttachmentUpload]? {
        guard let uploads, !uploads.isEmpty else { return uploads }
        return zip(uploads, try await kept(try decode(uploads))).map { upload, file in
            var upload = upload
            upload.bytes = file.data
            upload.digest = file.digest
            return upload
        }
    }

    /// The files with every one in the content store, put there off the event loop.
    func kept(_ files: [DecodedFile]) async throws -> [DecodedFile] {
        guard files.contains(where: { $0.digest == nil }) else { return files }
        var kept: [DecodedFile] = []
        for var file in files {
            if file.digest == nil { file.digest = try await services.blobs.put(file.data) }
            kept.append(file)
        }
        return kept
    }

    func store(_ files: [DecodedFile], messageID: UUID, caseID: UUID, at now: Date, on sql: any SQLDatabase) async throws {
        for file in files {
            // Files are kept before the write that records them (`kept`); one that was not is stored now.
            var digest = file.digest
            if digest == nil { digest = try await services.blobs.put(file.data) }
            guard let digest else { continue }
            try await ConversationRepository.addAttachment(messageID: messageID, caseID: caseID, filename: file.filename,
                                                           contentType: file.contentType, size: file.data.count, sha256: digest, at: now, on: sql)
        }
    }
}
