import CasebookCore
import Foundation
import Testing

@Suite("Mentions in notes")
struct MentionsTests {
    let ana = Mentions.Person(id: UUID(), email: "ana.garcia@cb.example", name: "Ana García")
    let ben = Mentions.Person(id: UUID(), email: "ben@cb.example", name: "Ben Ortiz")
    let ben2 = Mentions.Person(id: UUID(), email: "bmoss@cb.example", name: "Ben Moss")

    @Test("handles start a word, end at punctuation, and are found once")
    func handles() {
        #expect(Mentions.handles(in: "@ana.garcia, can you look? Thanks @Ana.Garcia.") == ["ana.garcia"])
        #expect(Mentions.handles(in: "Mail ana@cb.example or ask (@ben) and @ben@cb.example") == ["ben", "ben@cb.example"])
        #expect(Mentions.handles(in: "no one here: a@@b, @ , email@host") == [])
    }

    @Test("a handle matches an address, its local part, a name without spaces, or a first name nobody else has")
    func resolve() {
        let people = [ana, ben, ben2]
        #expect(Mentions.resolve("@ana.garcia please", among: people) == [ana.id])
        #expect(Mentions.resolve("@AnaGarcía and @bmoss@cb.example", among: people) == [ana.id, ben2.id])
        #expect(Mentions.resolve("@ana", among: people) == [ana.id], "the only Ana")
        #expect(Mentions.resolve("@Ben", among: people) == [ben.id], "ben's address wins over two people called Ben")
        #expect(Mentions.resolve("@moss @nobody", among: people) == [])
    }
}
