import CasebookCore
import Crypto
import Foundation
import NIOPosix

/// Where stored files live (attachments, call recordings, large inbound mail): each once per content, under the
/// SHA-256 of its bytes, and checked against that digest whenever it is read back.
protocol BlobStore: Sendable {
    /// Which store this is, as an admin names it.
    var kind: BlobStoreKind { get }
    /// Stores the bytes (or notes they were kept again, when they are there already) and returns their digest; when it
    /// returns they are durable.
    func put(_ data: Data) async throws -> String
    /// The bytes stored under a digest, or nil when there are none; throws `BlobDamaged` when they no longer match it.
    func get(_ digest: String) async throws -> Data?
    /// Whether bytes are stored under a digest (without reading them).
    func contains(_ digest: String) async throws -> Bool
    /// Forgets the bytes under a digest (when nothing refers to them any more); a missing digest is not an error.
    func remove(_ digest: String) async throws
    /// Forgets the bytes under a digest unless they were kept (put) at `cutoff` or later; answers whether it did. The
    /// sweep uses this, so a file kept again a moment ago for a write about to name it stays.
    func remove(_ digest: String, ifKeptBefore cutoff: Date) async throws -> Bool
    /// Up to `limit` stored digests after `after`, in order, to walk the whole store a page at a time.
    func digests(after: String?, limit: Int) async throws -> [String]
}

/// The stores Casebook can keep files in.
public enum BlobStoreKind: String, Sendable, CaseIterable {
    /// A folder tree in the data directory: the default on SQLite.
    case directory
    /// Tables in the database, in chunks: the default on PostgreSQL, so every instance reads what any one stored.
    case database

    /// The kind an admin names, accepting `postgres` for the database, as the PostgreSQL default is usually called.
    public init?(named name: String) {
        switch name.lowercased() {
        case "directory", "dir", "files": self = .directory
        case "database", "postgres", "postgresql", "db": self = .database
        default: return nil
        }
    }
}

/// Bytes read back that no longer hash to the digest they were stored under (a damaged disk, a hand-edited row).
struct BlobDamaged: Error, CustomStringConvertible {
    let digest: String
    var description: String { "the stored file \(digest) does not match its SHA-256 any more" }
}

/// The name a file is stored under.
enum BlobDigest {
    /// The SHA-256 of the bytes in lower-case hex.
    static func of(_ data: Data) -> String {
        DigitText.hex(SHA256.hash(data: data))
    }

    /// Whether a text is such a name (64 lower-case hex digits), so it can never climb out of a folder or match a pattern.
    static func isValid(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Builds the store a configuration names.
enum BlobStores {
    static func make(_ kind: BlobStoreKind, configuration: CasebookConfiguration, store: Store, io: NIOThreadPool) -> any BlobStore {
        switch kind {
        case .directory: DirectoryBlobStore(root: (configuration.dataDirectory as NSString).appendingPathComponent("attachments"), io: io)
        case .database: DatabaseBlobStore(store: store)
        }
    }
}
