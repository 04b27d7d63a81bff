import Foundation

/// The folders of the import folder, each holding one unpacked export.
enum ImportFolder {
    /// Whether `name` is one folder's name: no path, nothing hidden, so nothing outside the import folder is reached.
    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\") && !name.contains("\0")
    }

    static func path(of name: String, in configuration: CasebookConfiguration) -> String {
        (configuration.importFolder as NSString).appendingPathComponent(name)
    }

    /// Whether the import folder holds a folder of this name.
    static func exists(_ name: String, in configuration: CasebookConfiguration) -> Bool {
        var isFolder: ObjCBool = false
        return isPlainName(name) && FileManager.default.fileExists(atPath: path(of: name, in: configuration), isDirectory: &isFolder) && isFolder.boolValue
    }

    /// The folders there now, by name.
    static func names(in configuration: CasebookConfiguration) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: configuration.importFolder)) ?? []
        return entries.filter { exists($0, in: configuration) }.sorted()
    }
}
