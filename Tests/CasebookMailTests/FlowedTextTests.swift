import CasebookMail
import Testing

@Suite("format=flowed text (RFC 3676)")
struct FlowedTextTests {
    @Test("a paragraph wrapped with soft breaks reads as one line; hard breaks, blank lines and the signature stay")
    func paragraphs() {
        let sent = "Hello,\n\nThe printer jams every time we print more than ten \npages in one job.\nSecond line stays.\n-- \nJane"
        #expect(FlowedText.unflow(sent, deleteSpace: false)
                == "Hello,\n\nThe printer jams every time we print more than ten pages in one job.\nSecond line stays.\n-- \nJane")
    }

    @Test("quoted paragraphs join at their own depth; a change of depth ends a paragraph")
    func quotes() {
        let sent = "> Could you send the \n> log? It is under \n> Settings.\n>> Older words \n>> wrapped.\n> Back at one \nNot quoted."
        #expect(FlowedText.unflow(sent, deleteSpace: false)
                == "> Could you send the log? It is under Settings.\n>> Older words wrapped.\n> Back at one \nNot quoted.")
    }

    @Test("space-stuffing is taken off; DelSp=yes drops the space that marked the break; the separator never flows on")
    func stuffingAndDelSp() {
        #expect(FlowedText.unflow(" From the office.\n >quoted? no, stuffed.", deleteSpace: false) == "From the office.\n>quoted? no, stuffed.")
        #expect(FlowedText.unflow("プリンターが紙詰まりを \n起こしています。", deleteSpace: true) == "プリンターが紙詰まりを起こしています。")
        #expect(FlowedText.unflow("Thanks, \n-- \nJane", deleteSpace: false) == "Thanks, \n-- \nJane")
        #expect(FlowedText.unflow("", deleteSpace: false) == "")
        #expect(FlowedText.unflow("ends on a soft break ", deleteSpace: false) == "ends on a soft break ")
    }
}
