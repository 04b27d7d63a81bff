import Foundation

/// The files of another help desk's export, read as JSON: one array, an object holding the array, or one object per line.
public struct ExportFiles: Sendable {
    /// Reads `name` of the export (nil when the export does not have it); files are mapped, not copied, as an export's
    /// tickets may run to gigabytes.
    public let read: @Sendable (String) throws -> Data?
    /// The bytes of an attachment by its id and file name, when the export holds them.
    public let attachment: @Sendable (_ id: String, _ name: String) -> Data?

    public init(read: @escaping @Sendable (String) throws -> Data?, attachment: @escaping @Sendable (String, String) -> Data?) {
        self.read = read
        self.attachment = attachment
    }

    /// An export unpacked in `directory`: `<name>` files, and attachments as `attachments/<id>/<file name>`.
    public static func directory(_ directory: String) -> ExportFiles {
        ExportFiles(
            read: { name in
                let path = (directory as NSString).appendingPathComponent(name)
                return FileManager.default.fileExists(atPath: path) ? try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) : nil
            },
            attachment: { id, name in
                let safeID = id.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
                let safeName = (name as NSString).lastPathComponent
                guard !safeID.isEmpty, !safeName.isEmpty, safeName != "..", safeName != "." else { return nil }
                return FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent("attachments/\(safeID)/\(safeName)"))
            })
    }

    /// The positions of `window` that exist among `count` records (all of them without a window).
    static func clamped(_ window: Range<Int>?, count: Int) -> Range<Int> {
        guard let window else { return 0..<count }
        let lower = min(max(0, window.lowerBound), count)
        return lower..<min(max(lower, window.upperBound), count)
    }

    /// The records of `name`: a JSON array, `{"<key>": [...]}`, or JSON Lines.
    /// Whether the export has `name` (a file that cannot be opened counts as absent here; reading it says why).
    public func has(_ name: String) -> Bool {
        ((try? read(name)) ?? nil) != nil
    }

    public func records(_ name: String, key: String) throws(ImportFileError) -> [[String: Any]] {
        try records(name, key: key, window: nil).records
    }

    /// The records of `name` at the positions of `window` (all without one), how many it holds in all, and whether the
    /// export has the file; only the window's records are parsed.
    public func records(_ name: String, key: String, window: Range<Int>?) throws(ImportFileError) -> RecordWindow {
        let data: Data?
        do { data = try read(name) } catch { throw .unreadable(name, "\(error)") }
        guard let data else { return RecordWindow(records: [], count: 0, exists: false) }
        let slicer: JSONRecordSlicer
        do { slicer = try JSONRecordSlicer(data, key: key) } catch { throw .unreadable(name, error.reason) }
        var records: [[String: Any]] = []
        for index in Self.clamped(window, count: slicer.ranges.count) {
            guard let object = (try? JSONSerialization.jsonObject(with: data[slicer.ranges[index]])) as? [String: Any] else {
                throw .unreadable(name, "\(slicer.place(of: index)) is not a JSON object")
            }
            records.append(object)
        }
        return RecordWindow(records: records, count: slicer.ranges.count, exists: true)
    }
}

/// Some records of an export file and how many the file holds.
public struct RecordWindow {
    public let records: [[String: Any]]
    public let count: Int
    public let exists: Bool
}

/// An export that cannot be read.
public enum ImportFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String, String)
    case missing(String)
    /// The export is the other help desk's ("Zendesk" or "Freshdesk"): read as this one, its people would all be unknown.
    case otherKind(String)

    public var description: String {
        switch self {
        case let .unreadable(name, why): "\(name) cannot be read: \(why)"
        case let .missing(name): "the export has no \(name)"
        case .otherKind("Zendesk"): "it is a Zendesk export (users.json, no contacts.json): choose Zendesk as its source"
        case .otherKind: "it is a Freshdesk export (contacts.json, no users.json): choose Freshdesk as its source"
        }
    }
}

/// Reading loosely typed export JSON (ids as numbers or strings, times in ISO 8601).
enum ExportJSON {
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let number as Int64: String(number)
        case let number as Double: number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case let flag as Bool: flag ? "yes" : "no"
        default: nil
        }
    }

    static func int(_ value: Any?) -> Int? {
        if let number = value as? Int { return number }
        if let number = value as? Double { return Int(exactly: number) }
        return (value as? String).flatMap { Int($0) }
    }

    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Records by their `id`.
    static func byID(_ records: [[String: Any]]) -> [String: [String: Any]] {
        var index: [String: [String: Any]] = [:]
        for record in records { if let id = string(record["id"]) { index[id] = record } }
        return index
    }
}
