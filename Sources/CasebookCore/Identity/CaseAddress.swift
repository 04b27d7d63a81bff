/// Plus-addressing with the case tag: `support+CB-10423@example.com` reaches the desk and names the case,
/// so a reply threads even when a mail client drops the subject tag and the references.
public enum CaseAddress {
    /// The desk's address with the case reference after a `+`.
    public static func tagged(_ address: String, reference: String) -> String {
        let parts = address.split(separator: "@", maxSplits: 1)
        guard parts.count == 2 else { return address }
        return "\(parts[0])+\(reference.lowercased())@\(parts[1])"
    }

    /// The case number tagged in an address, if it carries one with this prefix.
    public static func reference(in address: String, prefix: String) -> Int? {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+") else { return nil }
        let tag = String(address[address.index(after: plus)..<at])
        guard let reference = Reference(parsing: tag.uppercased(), defaultPrefix: prefix), reference.prefix == prefix, tag.contains("-") else { return nil }
        return reference.number
    }

    /// The address without a `+tag` (`support+cb-10423@x` → `support@x`).
    public static func withoutTag(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), let plus = address[..<at].firstIndex(of: "+") else { return address }
        return String(address[..<plus]) + String(address[at...])
    }
}
