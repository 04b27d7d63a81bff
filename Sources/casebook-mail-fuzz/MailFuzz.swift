import CasebookMail
import Foundation

#if FUZZING
/// libFuzzer entry point: the parser must return for every input, without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMailParser(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let message = MailParser.parse(bytes)
    _ = try? MailSummary(message).json()
    return 0
}
#else
/// Without the fuzzer: replays files (for example a crash the fuzzer found) through the parser.
@main
struct MailFuzzReplay {
    static func main() {
        let paths = CommandLine.arguments.dropFirst()
        if paths.isEmpty {
            FileHandle.standardError.write(Data("usage: casebook-mail-fuzz FILE...\n".utf8))
            exit(64)
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(66)
            }
            let message = MailParser.parse(data)
            print("\(path): \(message.attachments.count) attachments, \(message.text.count) characters of text")
        }
    }
}
#endif
