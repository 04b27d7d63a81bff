import CasebookMail
import Foundation

#if FUZZING
/// libFuzzer entry point: the parser must return for every input, without trapping.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMailParser(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    let message = MailParser.parse(bytes)
    _ = try? MailSummary(message).json()
    return 0
}

/// libFuzzer's driver, started from SwiftPM's renamed entry point below.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point under this name; here it hands over to libFuzzer.
@_cdecl("casebook_mail_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzMailParser(data, size) }
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
