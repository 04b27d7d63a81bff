import CasebookCore
import Foundation
import Vapor

/// An export uploaded as a zip archive: written to disk and synced as it arrives, then unpacked into a folder of its
/// own in the import folder, where an import can be started from it like from a folder copied there by hand.
enum ExportUpload {
    /// What an upload became.
    struct Unpacked: Content {
        let folder: String
        let files: Int
        let bytes: Int
    }

    /// Where uploads are kept while they arrive and are unpacked (hidden, so never offered as an export folder).
    static func stagingFolder(in configuration: CasebookConfiguration) -> String {
        (configuration.importFolder as NSString).appendingPathComponent(".uploads")
    }

    /// Receives `chunks` into a file (refusing more than `limit` bytes), syncs it, and unpacks it into a new folder named
    /// after `name`; the archive itself is removed once its files are.
    static func receive<Chunks: AsyncSequence>(_ chunks: Chunks, named name: String, limit: Int, services: CasebookServices) async throws
        -> Unpacked where Chunks.Element == ByteBuffer {
        let staging = stagingFolder(in: services.configuration)
        let archive = (staging as NSString).appendingPathComponent(UUID().uuidString + ".zip")
        let pool = services.blockingIO
        defer { try? FileManager.default.removeItem(atPath: archive) }
        let handle = try await pool.runIfActive {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: archive, contents: nil) else { throw DomainError.invalid("file", "could not be stored") }
            return try FileHandle(forWritingTo: URL(fileURLWithPath: archive))
        }
        var received = 0
        var pending = Data()
        do {
            for try await var chunk in chunks {
                received += chunk.readableBytes
                guard received <= limit else {
                    throw DomainError.tooLarge("An uploaded export may be at most \(limit / 1_048_576) MB (CASEBOOK_IMPORT_UPLOAD_MAX_MB); "
                        + "copy a larger one into the import folder instead.", field: "file")
                }
                pending.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
                if pending.count >= 4 << 20 {
                    let piece = pending
                    pending = Data()
                    try await pool.runIfActive { try handle.write(contentsOf: piece) }
                }
            }
            let rest = pending
            try await pool.runIfActive {
                try handle.write(contentsOf: rest)
                try handle.synchronize()
                try handle.close()
            }
        } catch {
            try? handle.close()
            throw error
        }
        guard received > 0 else { throw DomainError.invalid("file", "is empty: choose the export's zip file") }
        let configuration = services.configuration
        return try await pool.runIfActive { try unpack(archive, named: name, in: configuration) }
    }

    /// Unpacks the archive at `path` into a new folder of the import folder; a half-unpacked export is never offered,
    /// as it is unpacked under a hidden name and renamed when whole.
    static func unpack(_ path: String, named name: String, in configuration: CasebookConfiguration) throws -> Unpacked {
        let archive: ZipReader
        do { archive = try ZipReader(Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)) } catch let fault as ZipReader.Fault {
            throw DomainError.invalid("file", "cannot be unpacked: \(fault)")
        }
        let files = try ExportArchiveLayout.files(of: archive)
        guard files.contains(where: { $0.path == "tickets.json" }) else {
            throw DomainError.invalid("file", "holds no tickets.json at its top or in its one folder, so it is not a Zendesk or Freshdesk export")
        }
        let needed = files.reduce(0) { $0 + $1.entry.size }
        let free = (try? FileManager.default.attributesOfFileSystem(forPath: configuration.importFolder)[.systemFreeSize] as? NSNumber)?.intValue
        if let free, needed > free - (256 << 20) {
            throw DomainError.tooLarge("The export unpacks to \(needed / 1_048_576) MB, more than the import folder's disk has free "
                + "(\(max(0, free) / 1_048_576) MB).", field: "file")
        }
        let folder = freeName(for: name, in: configuration)
        let staging = (stagingFolder(in: configuration) as NSString).appendingPathComponent(folder + "-" + UUID().uuidString)
        do {
            var bytes = 0
            for file in files {
                let target = (staging as NSString).appendingPathComponent(file.path)
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target, contents: nil) else { throw DomainError.invalid("file", "could not be unpacked") }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
                defer { try? handle.close() }
                do { try archive.extract(file.entry, to: handle) } catch { throw DomainError.invalid("file", "cannot be unpacked: \(error)") }
                try handle.synchronize()
                bytes += file.entry.size
            }
            try FileManager.default.moveItem(atPath: staging, toPath: ImportFolder.path(of: folder, in: configuration))
            return Unpacked(folder: folder, files: files.count, bytes: bytes)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// A folder name from the uploaded file's ("Zendesk export (3).zip" → "Zendesk-export-3"), not yet taken.
    static func freeName(for name: String, in configuration: CasebookConfiguration) -> String {
        var base = (name as NSString).lastPathComponent
        if base.lowercased().hasSuffix(".zip") { base = String(base.dropLast(4)) }
        let kept = base.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) ? Character($0) : "-" }
        var cleaned = String(kept).split(separator: "-", omittingEmptySubsequences: true).joined(separator: "-")
        while cleaned.hasPrefix(".") { cleaned.removeFirst() }
        cleaned = String(cleaned.prefix(80))
        if cleaned.isEmpty { cleaned = "upload" }
        var candidate = cleaned
        var number = 2
        while FileManager.default.fileExists(atPath: ImportFolder.path(of: candidate, in: configuration)) {
            candidate = "\(cleaned)-\(number)"
            number += 1
        }
        return candidate
    }
}

/// Which entries of an uploaded archive are the export's files, and where each goes inside its folder.
enum ExportArchiveLayout {
    struct File {
        let entry: ZipReader.Entry
        let path: String
    }

    /// The archive's files, paths made safe; a single folder holding everything is dropped, so `export-2026/tickets.json`
    /// lands as `tickets.json`. A name that would reach outside the folder refuses the whole archive.
    static func files(of archive: ZipReader) throws -> [File] {
        var files: [(ZipReader.Entry, [String])] = []
        for entry in archive.entries where !entry.isFolder {
            let parts = entry.name.replacingOccurrences(of: "\\", with: "/").split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            // Files a Mac adds when zipping are not part of anyone's export.
            if parts.first == "__MACOSX" || parts.last == ".DS_Store" { continue }
            guard !entry.name.hasPrefix("/"), !entry.name.contains("\0"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
                  !(parts.first?.contains(":") ?? false) else {
                throw DomainError.invalid("file", "holds a file named '\(entry.name)', which would land outside its folder")
            }
            files.append((entry, parts))
        }
        let tops = Set(files.map { $0.1.first ?? "" })
        let drop = tops.count == 1 && files.allSatisfy { $0.1.count > 1 } ? 1 : 0
        return files.map { File(entry: $0.0, path: $0.1.dropFirst(drop).joined(separator: "/")) }
    }
}
