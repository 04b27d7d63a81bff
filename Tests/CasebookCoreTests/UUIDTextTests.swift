import CasebookCore
import Foundation
import Testing

@Suite("UUID text without sprintf and sscanf")
struct UUIDTextTests {
    @Test("writes what uuidString writes and reads it back, for 2,000 random ids")
    func roundTrip() {
        for _ in 0..<2_000 {
            let id = UUID()
            #expect(UUIDText.string(id) == id.uuidString)
            #expect(UUIDText.withUTF8(id) { String(decoding: $0, as: UTF8.self) } == id.uuidString)
            #expect(UUIDText.parse(id.uuidString) == id)
            #expect(UUIDText.parse(id.uuidString.lowercased()) == id)
        }
    }

    @Test("the all-zero and all-one ids keep every digit")
    func extremes() {
        let zero = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        #expect(UUIDText.string(zero) == "00000000-0000-0000-0000-000000000000")
        #expect(UUIDText.parse("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")?.uuidString == "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")
    }

    @Test("rejects what Foundation rejects", arguments: [
        "", "not-a-uuid", "E621E1F8-C36C-495A-93FC-0C247A3E6E5", "E621E1F8-C36C-495A-93FC-0C247A3E6E5FF",
        "E621E1F8C36C-495A-93FC-0C247A3E6E5F0", "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8-C36C-495A-93FC+0C247A3E6E5F",
        "E621E1F8-C36C-495A-93FC-0C247A3E6É5",
    ])
    func rejects(text: String) {
        #expect(UUIDText.parse(text) == nil)
        #expect(UUID(uuidString: text) == nil)
    }
}
