import CasebookCore
import Foundation
import Testing

@Suite("Finding an export file's records without parsing them all")
struct ExportRecordWindowTests {
    static func files(_ text: String) -> ExportFiles {
        ExportFiles(read: { name in name == "tickets.json" ? Data(text.utf8) : nil }, attachment: { _, _ in nil })
    }

    static func ids(_ text: String, window: Range<Int>? = nil) throws -> (ids: [String], count: Int) {
        let read = try files(text).records("tickets.json", key: "tickets", window: window)
        return (read.records.map { "\($0["id"] ?? "?")" }, read.count)
    }

    @Test("every shape an export comes in gives the same records, and a window only its own")
    func shapes() throws {
        let records = [#"{"id": 1, "subject": "a [bracket] and a \"quote\", {brace}"}"#, #"{"id": 2, "tags": ["x", "y"], "n": -1.5e3}"#,
                       #"{"id": 3, "nested": {"tickets": [{"id": 99}]}}"#]
        let shapes = [
            "[" + records.joined(separator: ",\n  ") + "]\n",
            #"{"meta": {"tickets": [{"id": 98}]}, "count": 3, "tickets": ["# + records.joined(separator: ",") + "], \"next_page\": null}",
            "\u{FEFF}" + records.joined(separator: "\r\n") + "\r\n\r\n",
            "\n  \n" + records.joined(separator: "\n\n"),
        ]
        for shape in shapes {
            #expect(try Self.ids(shape) == (["1", "2", "3"], 3), "\(shape)")
            #expect(try Self.ids(shape, window: 1..<2) == (["2"], 3), "\(shape)")
            #expect(try Self.ids(shape, window: 2..<9) == (["3"], 3), "\(shape)")
            #expect(try Self.ids(shape, window: 5..<9) == ([], 3), "\(shape)")
        }
        #expect(try Self.ids(#"{"id": 7, "subject": "just one"}"#) == (["7"], 1), "an object without the key is one record")
        #expect(try Self.ids("[]") == ([], 0) && Self.ids("  \n") == ([], 0))
        #expect(try Self.files("[]").records("other.json", key: "x", window: nil).exists == false)
    }

    @Test("a record that is not one is named by its line or its place, even when only another window is read")
    func faults() throws {
        #expect(throws: ImportFileError.unreadable("tickets.json", "line 3 is not a JSON object")) {
            try Self.ids("{\"id\": 1}\n\nnot json\n", window: 1..<2)
        }
        #expect(throws: ImportFileError.unreadable("tickets.json", "record 2 is not a JSON object")) { try Self.ids(#"[{"id": 1}, 42]"#) }
        #expect(throws: ImportFileError.unreadable("tickets.json", "the list of records does not end")) { try Self.ids(#"[{"id": 1}, "#) }
        #expect(throws: ImportFileError.unreadable("tickets.json", "record 1 is not complete JSON")) { try Self.ids(#"[{"id": "1}]"#) }
        #expect(throws: ImportFileError.unreadable("tickets.json", "record 1 is not followed by a comma")) { try Self.ids(#"[{"id": 1} {"id": 2}]"#) }
        // A window elsewhere does not parse the bad line, but counts it.
        #expect(try Self.ids("{\"id\": 1}\nnot json\n", window: 0..<1) == (["1"], 2))
    }
}
