import CasebookCore
import Testing

@Suite("CSV import files")
struct CSVTableTests {
    @Test("quotes, doubled quotes, commas and line breaks inside fields, CRLF rows, blank lines")
    func parses() throws {
        let table = try CSVTable.parse("Name,Serial,Location\r\n\"Core switch, rack 4\",SN-1,\"Room \"\"B\"\"\nfloor 2\"\r\n\r\nUPS,SN-2,\n")
        #expect(table.header == ["name", "serial", "location"])
        #expect(table.rows == [["Core switch, rack 4", "SN-1", "Room \"B\"\nfloor 2"], ["UPS", "SN-2", ""]])
        #expect(table.values(table.rows[1]) == ["name": "UPS", "serial": "SN-2"])
        #expect(try CSVTable.parse("a,b\n1,2").rows == [["1", "2"]])
    }

    @Test("broken files are refused with the place at fault")
    func refuses() {
        #expect(throws: CSVError.empty) { _ = try CSVTable.parse("") }
        #expect(throws: CSVError.unterminatedQuote) { _ = try CSVTable.parse("a\n\"open") }
        #expect(throws: CSVError.strayQuote(line: 2)) { _ = try CSVTable.parse("a\nab\"c\"") }
        #expect(throws: CSVError.wrongFieldCount(row: 3, expected: 2, found: 3)) { _ = try CSVTable.parse("a,b\n1,2\n1,2,3\n") }
    }
}
