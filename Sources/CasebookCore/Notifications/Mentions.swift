import Foundation

/// Finds the people an internal note names with `@`: `@ana`, `@ana.garcia`, `@ana.garcia@example.com` or `@AnaGarcia`.
///
/// A handle matches a person's whole address, the part of it before the `@`, their name without spaces, or their first name
/// when no one else shares it. An address in running text (`mail ana@example.com`) is not a mention: the `@` must start a word.
public enum Mentions {
    /// Someone who can be mentioned.
    public struct Person: Sendable, Equatable {
        public let id: UUID
        public let email: String
        public let name: String

        public init(id: UUID, email: String, name: String) {
            self.id = id
            self.email = email
            self.name = name
        }
    }

    /// The handles written in `text`, lower-cased, in order, each once.
    public static func handles(in text: String) -> [String] {
        var found: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            defer { index += 1 }
            guard characters[index] == "@" else { continue }
            if index > 0, isHandleCharacter(characters[index - 1]) || characters[index - 1] == "@" { continue }
            var end = index + 1
            while end < characters.count, isHandleCharacter(characters[end]) || (characters[end] == "@" && end + 1 < characters.count && isHandleCharacter(characters[end + 1])) {
                end += 1
            }
            var handle = String(characters[(index + 1)..<end])
            while let last = handle.last, ".-_".contains(last) { handle.removeLast() }
            index = end - 1
            let lowered = handle.lowercased()
            if !lowered.isEmpty, lowered.count <= 254, !found.contains(lowered) { found.append(lowered) }
        }
        return found
    }

    /// The people `text` mentions, among `people`.
    public static func resolve(_ text: String, among people: [Person]) -> [UUID] {
        let handles = handles(in: text)
        guard !handles.isEmpty else { return [] }
        var firstNames: [String: [UUID]] = [:]
        for person in people {
            if let first = person.name.split(separator: " ").first { firstNames[first.lowercased(), default: []].append(person.id) }
        }
        var ids: [UUID] = []
        for handle in handles {
            let exact = people.filter { person in
                let email = person.email.lowercased()
                return email == handle || email.split(separator: "@").first.map(String.init) == handle
                    || person.name.lowercased().filter { !$0.isWhitespace } == handle
            }.map(\.id)
            let matched = exact.isEmpty ? (firstNames[handle].flatMap { $0.count == 1 ? $0 : nil } ?? []) : exact
            for id in matched where !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    private static func isHandleCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || "._-+".contains(character)
    }
}
