@testable import CasebookServer
import Foundation
import Testing

/// The command line speaks the administrator's language, chosen from the locale environment as Unix tools choose it.
@Suite("Command-line messages")
struct CommandTextTests {
    @Test("the first of LC_ALL, LC_MESSAGES and LANG that is set decides; C, POSIX and unknown languages are English")
    func languageFromEnvironment() {
        #expect(CommandText.language(in: [:]) == "en")
        #expect(CommandText.language(in: ["LANG": "es_ES.UTF-8"]) == "es")
        #expect(CommandText.language(in: ["LANG": "es_ES.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"]) == "fr")
        #expect(CommandText.language(in: ["LANG": "es_ES.UTF-8", "LC_MESSAGES": "fr_FR", "LC_ALL": "de_AT.UTF-8"]) == "de")
        #expect(CommandText.language(in: ["LC_ALL": "C", "LANG": "es_ES.UTF-8"]) == "en", "LC_ALL=C means no translation at all")
        #expect(CommandText.language(in: ["LC_ALL": "", "LANG": "de_DE"]) == "de", "an empty variable counts as unset")
        #expect(CommandText.language(in: ["LANG": "ja_JP.UTF-8"]) == "en")
    }

    @Test("messages come from the catalogues with placeholders and plural forms filled in")
    func messages() {
        let spanish = CommandText(environment: ["LANG": "es_ES.UTF-8"])
        #expect(spanish("cli_cannot_read", ["path": "/tmp/x.jsonl"]) == "no se puede leer /tmp/x.jsonl")
        #expect(spanish.counted("cli_imported_rows", count: 1) == "Importada 1 fila.")
        #expect(spanish.counted("cli_imported_rows", count: 12) == "Importadas 12 filas.")
        let french = CommandText(environment: ["LC_ALL": "fr_FR.UTF-8"])
        #expect(french.counted("cli_imported_rows", count: 0) == "0 ligne importée.", "French counts zero as one")
        let english = CommandText(environment: [:])
        #expect(english("cli_migrations_done") == "Migrations are up to date.")
        #expect(english.counted("cli_tone_set", count: 2, ["name": "en"]) == "en: 2 messages")
        #expect(english.importSummary(imported: 1, entries: 1, attachments: 1, skipped: 1, failed: 1)
                == "Imported 1 ticket (1 history entry, 1 attachment); 1 was already here; 1 failed.")
        #expect(english.importSummary(imported: 3, entries: 5, attachments: 0, skipped: 2, failed: 0)
                == "Imported 3 tickets (5 history entries, 0 attachments); 2 were already here; 0 failed.")
        #expect(spanish.importSummary(imported: 1, entries: 2, attachments: 1, skipped: 0, failed: 1)
                == "Importación: 1 ticket (2 entradas de historial, 1 adjunto); 0 ya estaban aquí; 1 falló.")
        #expect(english.sweepSummary(BlobSweep.Outcome(looked: 1, unnamed: 1, removed: 0), dryRun: true)
                == "Looked at 1 stored file: 1 is named by no record. Nothing was removed (dry run); a sweep removes those not kept again in the last 24 hours.")
        #expect(english.sweepSummary(BlobSweep.Outcome(looked: 40, unnamed: 3, removed: 1), dryRun: false).hasPrefix(
            "Looked at 40 stored files: 3 are named by no record, and 1 of those was removed."))
        let german = CommandText(environment: ["LANG": "de_DE.UTF-8"])
        #expect(german.sweepSummary(BlobSweep.Outcome(looked: 2, unnamed: 2, removed: 2), dryRun: false).hasPrefix(
            "2 gespeicherte Dateien geprüft: 2 nennt kein Datensatz, und davon wurden 2 entfernt."))
    }

    @Test("every command-line message is in every language")
    func complete() throws {
        let text = try WebText.load()
        let keys = text.catalogs["en"]!.keys.filter { $0.hasPrefix("cli_") }
        #expect(keys.count >= 20)
        for language in WebText.languages { #expect(text.missing(in: language).filter { $0.hasPrefix("cli_") } == [], "\(language)") }
    }

    @Test("the commands an administrator runs print no English of their own (benchmarks, which print figures for BENCHMARKS.md, aside)")
    func noLiteralMessages() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/casebook").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".swift") && !$0.contains("Bench") && !["WriterFigures.swift", "LoadClient.swift"].contains($0) }
        #expect(files.count >= 8)
        // A call whose text starts with a word: print("Imported …"), fail("cannot …"), ValidationError("unknown …").
        let literal = try NSRegularExpression(pattern: #"(print|fail|ValidationError)\("[A-Za-z-]"#)
        for file in files {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            let hits = literal.numberOfMatches(in: source, range: NSRange(source.startIndex..., in: source))
            #expect(hits == 0, "\(file) prints \(hits) message(s) outside the catalogues")
        }
    }
}
