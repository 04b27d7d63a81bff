import Foundation
import NIOPosix

/// Files in a folder tree of the data directory (`ab/cd/abcd…`). The disk work runs on the blocking-I/O threads, so
/// an event loop never waits for an fsync.
struct DirectoryBlobStore: BlobStore {
    let root: String
    let io: NIOThreadPool

    var kind: BlobStoreKind { .directory }

    func put(_ data: Data) async throws -> String {
        let root = self.root
        return try await io.runIfActive { try Self.write(data, root: root) }
    }

    func get(_ digest: String) async throws -> Data? {
        guard BlobDigest.isValid(digest) else { return nil }
        let path = Self.path(for: digest, root: root)
        guard let data = try await io.runIfActive({ FileManager.default.contents(atPath: path) }) else { return nil }
        guard BlobDigest.of(data) == digest else { throw BlobDamaged(digest: digest) }
        return data
    }

    func contains(_ digest: String) async throws -> Bool {
        BlobDigest.isValid(digest) && FileManager.default.fileExists(atPath: Self.path(for: digest, root: root))
    }

    func remove(_ digest: String) async throws {
        guard BlobDigest.isValid(digest) else { return }
        do {
            try FileManager.default.removeItem(atPath: Self.path(for: digest, root: root))
        } catch CocoaError.fileNoSuchFile {
            return
        }
    }

    func remove(_ digest: String, ifKeptBefore cutoff: Date) async throws -> Bool {
        guard BlobDigest.isValid(digest) else { return false }
        let path = Self.path(for: digest, root: root)
        return try await io.runIfActive {
            var status = stat()
            guard stat(path, &status) == 0 else { return false }
            guard Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9 < cutoff.timeIntervalSince1970 else { return false }
            if unlink(path) == 0 { return true }
            if errno == ENOENT { return false }
            throw CocoaError(.fileWriteUnknown)
        }
    }

    func digests(after: String?, limit: Int) async throws -> [String] {
        let root = self.root
        return try await io.runIfActive { try Self.walk(root: root, after: after, limit: limit) }
    }

    /// Writes to a temporary name, syncs, renames and syncs the folder: a crash never leaves half a file under a real
    /// digest, and once this returns the file survives one.
    static func write(_ data: Data, root: String) throws -> String {
        let digest = BlobDigest.of(data)
        let path = self.path(for: digest, root: root)
        // Kept again: the sweep leaves a file alone for a day after its last keep, which is its modification time.
        if utimes(path, nil) == 0 { return digest }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else { throw CocoaError(.fileWriteUnknown) }
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        let directory = open(folder, O_RDONLY)
        if directory >= 0 {
            defer { close(directory) }
            guard fsync(directory) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return digest
    }

    static func path(for digest: String, root: String) -> String {
        let chars = Array(digest)
        return "\(root)/\(String(chars[0..<2]))/\(String(chars[2..<4]))/\(digest)"
    }

    /// The stored digests in order after `after`: the tree's folders are named by the digest's first four digits, so
    /// walking them sorted walks the digests sorted, and folders wholly before `after` are skipped unread.
    private static func walk(root: String, after: String?, limit: Int) throws -> [String] {
        let files = FileManager.default
        func sorted(_ path: String) -> [String] { ((try? files.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        let start = after ?? ""
        var found: [String] = []
        for first in sorted(root) where first.count == 2 && first >= String(start.prefix(2)) {
            for second in sorted(root + "/" + first) where second.count == 2 && first + second >= String(start.prefix(4)) {
                for name in sorted(root + "/" + first + "/" + second) where BlobDigest.isValid(name) && name > start {
                    found.append(name)
                    if found.count == limit { return found }
                }
            }
        }
        return found
    }
}
