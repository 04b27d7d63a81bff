import CasebookCore
import Foundation
import Testing

@Suite("References, search terms and timestamps")
struct SmallValueTests {
    @Test("references parse in the forms people write them", arguments: ["CB-10423", "cb-10423", "[CB-10423]", "10423", " CB-10423 "])
    func parses(text: String) {
        #expect(Reference(parsing: text, defaultPrefix: "CB") == Reference(prefix: "CB", number: 10423))
    }

    @Test("malformed references are refused", arguments: ["", "CB-", "CB-x", "-5", "CB-0", "C B-1", "1CB-5", "CB-12a"])
    func refuses(text: String) {
        #expect(Reference(parsing: text, defaultPrefix: "CB") == nil)
    }

    @Test("business durations read as days, hours and minutes, leaving out what is zero",
          arguments: [(0.0, "0m"), (20.0, "under 1m"), (90.0, "2m"), (3_600.0, "1h"), (86_460.0, "1d 1m"), (90_061.0, "1d 1h 1m"), (-60.0, "")])
    func durations(seconds: Double, text: String) {
        #expect(DurationText.describe(seconds) == text)
    }

    @Test("a reference prints as PREFIX-NUMBER")
    func prints() {
        #expect(Reference(prefix: "HD", number: 7).description == "HD-7")
    }

    @Test("search terms keep letters and digits only")
    func terms() {
        #expect(SearchTerms.terms(from: #"Printer "jam" OR 42* café-crème"#) == ["printer", "jam", "or", "42", "café", "crème"])
        #expect(SearchTerms.terms(from: "\"*:()") == [])
        #expect(SearchTerms.terms(from: String(repeating: "a ", count: 40)).count == 16)
    }

    @Test("timestamps print with rounded milliseconds in UTC")
    func timestamps() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0.1599999)) == "1970-01-01T00:00:00.160Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_000_000.5)) == "2026-11-18T11:06:40.500Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z")
    }
}

@Suite("Outside file names")
struct FileNameTests {
    @Test("paths, control characters and padding are removed", arguments: [
        ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\evil.bat", "evil.bat"), ("  report.pdf  ", "report.pdf"),
        ("a\u{0}b\u{7F}c.txt", "abc.txt"), ("/", ""), ("", ""),
    ])
    func clean(raw: String, expected: String) {
        #expect(FileName.clean(raw) == expected)
    }

    @Test("names are cut at 255 characters")
    func long() {
        #expect(FileName.clean(String(repeating: "n", count: 1000)).count == 255)
    }
}

@Suite("Update similarity")
struct UpdateSimilarityTests {
    @Test("the same update again, reworded slightly, scores high; a real new update scores low")
    func scores() {
        let first = "We are still waiting for the replacement part from the vendor. Next update tomorrow."
        #expect(UpdateSimilarity.score(first, first) == 1)
        #expect(UpdateSimilarity.score(first, "We are still waiting for the replacement part from the vendor; next update tomorrow!") >= UpdateSimilarity.warningThreshold)
        #expect(UpdateSimilarity.score(first, "The part arrived and the technician will install it at 14:00 today.") < 0.5)
        #expect(UpdateSimilarity.score("ETA 14:00", "ETA 16:00") < UpdateSimilarity.warningThreshold, "a changed time is news")
        #expect(UpdateSimilarity.score("", "") == 1 && UpdateSimilarity.score("", "hello") == 0)
    }

    @Test("property: the score is symmetric and between 0 and 1")
    func bounds() {
        var random = SeededRandom(seed: 3)
        let vocabulary = ["the", "part", "vendor", "update", "tomorrow", "waiting", "fixed", "14:00", "we", "are"]
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...12, using: &random)).map { _ in vocabulary.randomElement(using: &random)! }.joined(separator: " ")
            let b = (0..<Int.random(in: 0...12, using: &random)).map { _ in vocabulary.randomElement(using: &random)! }.joined(separator: " ")
            let score = UpdateSimilarity.score(a, b)
            #expect(score >= 0 && score <= 1 && score == UpdateSimilarity.score(b, a))
        }
    }
}

@Suite("Case addresses")
struct CaseAddressTests {
    @Test("the desk's address tagged with a case reference, read back, and stripped")
    func plusAddressing() {
        let tagged = CaseAddress.tagged("support@cb.example", reference: "CB-10423")
        #expect(tagged == "support+cb-10423@cb.example")
        #expect(CaseAddress.reference(in: tagged, prefix: "CB") == 10423)
        #expect(CaseAddress.reference(in: "support+other@cb.example", prefix: "CB") == nil)
        #expect(CaseAddress.reference(in: "support+xy-5@cb.example", prefix: "CB") == nil, "another prefix is not ours")
        #expect(CaseAddress.reference(in: "support@cb.example", prefix: "CB") == nil)
        #expect(CaseAddress.withoutTag(tagged) == "support@cb.example" && CaseAddress.withoutTag("a@b.example") == "a@b.example")
    }
}
