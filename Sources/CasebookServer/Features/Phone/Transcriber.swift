import CasebookCore
import Foundation
import NIOConcurrencyHelpers

/// Turns a call recording into text with PocketSphinx (Debian's `pocketsphinx_continuous` and its en-US model).
///
/// The recording is decoded and resampled in Swift to the 16 kHz mono PCM the model expects, so
/// 8 kHz telephone audio and 44.1 kHz stereo both work, and the recogniser only ever reads raw samples.
struct Transcriber: Sendable {
    let command: String
    let grammar: String?
    let keywords: String?

    /// Why transcription did not produce text.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func transcribe(_ wav: Data) throws -> String {
        let audio = try WAVAudio.decode(Array(wav))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("casebook-call-\(UUID().uuidString).raw")
        try Data(WAVAudio.rawPCM(audio.samples)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command)
        var arguments = ["-infile", file.path, "-samprate", "16000", "-logfn", "/dev/null"]
        if let grammar { arguments += ["-jsgf", grammar] } else if let keywords { arguments += ["-kws", keywords] }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A recogniser that hangs must not hold a job lease forever: a generous multiple of real time.
        let limit = max(60, audio.duration * 4)
        let timedOut = NIOLockedValueBox(false)
        let watchdog = DispatchWorkItem {
            if process.isRunning {
                timedOut.withLockedValue { $0 = true }
                process.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + limit, execute: watchdog)
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        if timedOut.withLockedValue({ $0 }) { throw Failure(description: "the recogniser took longer than \(Int(limit)) s") }
        guard process.terminationStatus == 0 else {
            throw Failure(description: "pocketsphinx exited with status \(process.terminationStatus) (is the en-us model installed?)")
        }
        return String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
