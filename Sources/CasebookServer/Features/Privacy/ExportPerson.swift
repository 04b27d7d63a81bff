import CasebookCore
import Foundation
import SQLKit

/// A person's privacy export: one ZIP with `person.json` (their profile, the cases they asked for with every message,
/// call and survey, their sessions, tokens, sign-ins, company accounts and the mail sent to them) and the files on
/// those cases under `attachments/<case number>/`.
struct ExportPerson {
    let services: CasebookServices

    /// The ZIP's bytes and a file name for it; nil when there is no such person.
    func archive(of id: UUID, internalNotes: Bool) async throws -> (name: String, data: Data)? {
        let store = services.store
        let now = services.clock()
        guard let (document, files) = try await store.reading({ db in try await PersonExportRepository.read(id, internalNotes: internalNotes, now: now, on: store.sql(db)) })
        else { return nil }
        var zip = ZipArchive()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try zip.add("person.json", try encoder.encode(document), modified: now)
        for file in files {
            guard let data = try await services.blobs.get(file.digest) else { continue }
            try zip.add(file.path, data, modified: now)
        }
        let day = String(Timestamp.format(now).prefix(10))
        return ("privacy-export-\(id.uuidString.lowercased().prefix(8))-\(day).zip", zip.finished())
    }
}
