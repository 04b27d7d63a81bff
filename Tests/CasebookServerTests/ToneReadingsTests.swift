@testable import CasebookServer
import CasebookCore
import CasebookMail
import Foundation
import Testing

@Suite("Tone read before the write")
struct ToneReadingsTests {
    @Test("a mail's words are read once before the write and taken by the case it files, trimmed the same way")
    func primedAndTaken() throws {
        let raw = "From: Ana <ana@acme.example>\r\nSubject: Backup\r\n\r\n  This is the third time the backup failed. Unacceptable!  \r\n\r\n"
        let text = ReceiveEmail.filedText(of: MailParser.parse(Data(raw.utf8)))
        #expect(text == text.trimmingCharacters(in: .whitespacesAndNewlines) && text.hasPrefix("This is the third time"))
        ToneReadings.shared.prime(text)
        let primed = try #require(ToneReadings.shared.take(text))
        #expect(primed == CustomerTone.classifier.classify(text))
        #expect(ToneReadings.shared.take(text) == nil, "taken once")
        #expect(ReceiveEmail.filedText(of: MailParser.parse(Data("From: a@b.example\r\n\r\n \r\n".utf8))) == "(no text)")
    }
}
