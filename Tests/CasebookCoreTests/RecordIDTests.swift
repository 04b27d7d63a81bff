import CasebookCore
import Foundation
import Testing

@Suite("Time-ordered record identifiers")
struct RecordIDTests {
    @Test("carry version 7, the RFC 9562 variant and the creation time in milliseconds")
    func layout() {
        let moment = Date(timeIntervalSince1970: 1_795_000_000.123)
        let id = RecordID.make(at: moment)
        let text = UUIDText.string(id)
        #expect(Array(text)[14] == "7")
        #expect(["8", "9", "A", "B"].contains(Array(text)[19]))
        let millisecondsHex = String(text.replacingOccurrences(of: "-", with: "").prefix(12))
        #expect(UInt64(millisecondsHex, radix: 16) == 1_795_000_000_123)
    }

    @Test("ids made later sort after earlier ones, as text too, and 20,000 ids made at once never repeat")
    func orderAndUniqueness() {
        let earlier = RecordID.make(at: Date(timeIntervalSince1970: 1_795_000_000))
        let later = RecordID.make(at: Date(timeIntervalSince1970: 1_795_000_000.002))
        #expect(earlier.uuidString < later.uuidString)
        let many = (0..<20_000).map { _ in RecordID.make() }
        #expect(Set(many).count == many.count)
    }
}
