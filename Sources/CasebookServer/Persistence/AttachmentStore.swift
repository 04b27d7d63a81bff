import CasebookCore
import Crypto
import Foundation

/// Files kept once per content, under their SHA-256, in a folder tree (`ab/cd/abcd…`).
struct AttachmentStore: Sendable {
    let root: String

    /// The SHA-256 of the bytes in lower-case hex, the name they are stored under.
    static func digest(of data: Data) -> String {
        DigitText.hex(SHA256.hash(data: data))
    }

    /// Stores the bytes (if new) and returns their SHA-256 in lower-case hex.
    func put(_ data: Data) throws -> String {
        let digest = Self.digest(of: data)
        let path = self.path(for: digest)
        if FileManager.default.fileExists(atPath: path) { return digest }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Written to a temporary name and renamed, so a crash never leaves a half file under a real digest.
        try data.write(to: URL(fileURLWithPath: path), options: [.atomic])
        return digest
    }

    /// Stores the bytes and forces them to disk before returning, for input that is acknowledged
    /// to its sender once stored (inbound email).
    func putDurably(_ data: Data) throws -> String {
        let digest = Self.digest(of: data)
        let path = self.path(for: digest)
        if FileManager.default.fileExists(atPath: path) { return digest }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else { throw CocoaError(.fileWriteUnknown) }
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        if rename(temporary, path) != 0 { throw CocoaError(.fileWriteUnknown) }
        // The rename is only durable once the directory that holds it is.
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY)
        if directory >= 0 {
            defer { close(directory) }
            guard fsync(directory) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        return digest
    }

    /// The bytes stored under a digest, or nil when there are none.
    func get(_ digest: String) -> Data? {
        guard Self.isDigest(digest) else { return nil }
        return FileManager.default.contents(atPath: path(for: digest))
    }

    /// Removes the file stored under a digest (when nothing refers to it any more); a missing file is not an error.
    func remove(_ digest: String) throws {
        guard Self.isDigest(digest) else { return }
        do {
            try FileManager.default.removeItem(atPath: path(for: digest))
        } catch CocoaError.fileNoSuchFile {
            return
        }
    }

    func path(for digest: String) -> String {
        let chars = Array(digest)
        return "\(root)/\(String(chars[0..<2]))/\(String(chars[2..<4]))/\(digest)"
    }

    static func isDigest(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
