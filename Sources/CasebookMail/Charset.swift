import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Converts text in any charset mail uses to a Swift string, never failing.
///
/// Labels are mapped to the superset real mailers mean (ISO-8859-1 → Windows-1252, GB2312 → GB18030,
/// Shift_JIS → CP932, EUC-KR → CP949), as browsers do. Bytes a charset cannot read become U+FFFD;
/// an unknown label falls back to UTF-8 when the bytes are valid UTF-8, else Windows-1252.
public enum Charset {
    /// Decodes `bytes` labelled with `charset` (nil or empty means US-ASCII, read leniently).
    public static func decode(_ bytes: [UInt8], charset label: String?) -> String {
        let name = canonicalName(label)
        switch name {
        case "UTF-8", "US-ASCII":
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            // Mislabelled 8-bit text: the common case is Windows-1252 sent as "utf-8" or unlabelled.
            if looksLikeMostlyUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
            return convert(bytes, from: "WINDOWS-1252") ?? String(decoding: bytes, as: UTF8.self)
        default:
            if let text = convert(bytes, from: name) { return text }
            return decode(bytes, charset: "utf-8")
        }
    }

    /// The iconv name for a MIME charset label.
    static func canonicalName(_ label: String?) -> String {
        let trimmed = (label ?? "").trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
        // Python's email package writes labels such as eucgb2312_cn and big5_tw; underscores mean dashes.
        let pythonNames = ["eucgb2312_cn": "gb2312", "big5_tw": "big5", "euc_cn": "gb2312", "iso2022_jp": "iso-2022-jp",
                           "euc_jp": "euc-jp", "euc_kr": "euc-kr", "shift_jisx0213": "shift_jis", "cp65001": "utf-8"]
        let raw = pythonNames[trimmed] ?? (trimmed.contains("_") && !trimmed.hasPrefix("shift_") && !trimmed.hasPrefix("ks_c")
            && !trimmed.hasPrefix("iso_") && !trimmed.hasPrefix("ansi_") && !trimmed.hasPrefix("gb_")
            ? trimmed.replacingOccurrences(of: "_", with: "-") : trimmed)
        switch raw {
        case "", "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "7bit", "8bit", "unknown-8bit", "x-unknown", "default":
            return "US-ASCII"
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-utf8", "utf-8-sig":
            return "UTF-8"
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso-ir-100":
            return "WINDOWS-1252"
        case "gb2312", "gbk", "x-gbk", "cp936", "gb18030", "euc-cn", "x-euc-cn", "csgb2312", "chinese", "gb_2312-80":
            return "GB18030"
        case "shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932", "x-ms-cp932":
            return "CP932"
        case "euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese":
            return "EUC-JP-MS"
        case "iso-2022-jp", "csiso2022jp", "iso-2022-jp-2", "iso-2022-jp-1":
            return "ISO-2022-JP-2"
        case "big5", "big5-hkscs", "x-big5", "cn-big5", "csbig5":
            return "BIG5-HKSCS"
        case "euc-kr", "ks_c_5601-1987", "ks_c_5601", "cp949", "windows-949", "x-windows-949", "korean", "iso-ir-149", "cseuckr":
            return "CP949"
        case "koi8-r", "koi8r", "cskoi8r": return "KOI8-R"
        case "koi8-u", "koi8u": return "KOI8-U"
        case "utf-16", "utf16": return "UTF-16"
        case "utf-16le", "utf-16be", "utf-32", "utf-32le", "utf-32be": return raw.uppercased()
        case "tis-620", "windows-874", "cp874", "iso-8859-11": return "CP874"
        case "utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7", "x-utf-7": return "UTF-7"
        case "x-mac-roman", "mac-roman", "macroman", "x-mac", "mac", "macintosh", "csmacintosh": return "MACINTOSH"
        case "x-mac-cyrillic", "mac-cyrillic", "maccyrillic": return "MAC-CYRILLIC"
        case "x-mac-ukrainian", "mac-ukrainian": return "MACUKRAINIAN"
        case "x-mac-ce", "x-mac-centraleurroman", "mac-centraleurope", "x-mac-centraleurope": return "MAC-CENTRALEUROPE"
        default:
            break
        }
        if raw.hasPrefix("windows-") || raw.hasPrefix("cp") || raw.hasPrefix("x-cp") || raw.hasPrefix("win-") {
            let digits = raw.filter(\.isNumber)
            if digits.count == 4, digits.hasPrefix("125") { return "WINDOWS-\(digits)" }
        }
        if raw.hasPrefix("iso-8859-") || raw.hasPrefix("iso8859-") || raw.hasPrefix("iso_8859-") {
            // The part's number, also in Hebrew's and Arabic's visual/logical labels (iso-8859-8-i, iso-8859-6-e).
            let pieces = raw.split(separator: "-")
            let number = pieces.firstIndex { $0.hasSuffix("8859") }.flatMap { $0 + 1 < pieces.count ? pieces[$0 + 1] : nil }
            let digits = number.map(String.init)?.filter(\.isNumber) ?? ""
            if let part = Int(digits), (2...16).contains(part) { return "ISO-8859-\(part)" }
        }
        return raw.uppercased()
    }

    /// UTF-8 with a stray invalid byte or two reads better as UTF-8 with replacements than as 1252.
    private static func looksLikeMostlyUTF8(_ bytes: [UInt8]) -> Bool {
        let decoded = String(decoding: bytes, as: UTF8.self)
        let replacements = decoded.unicodeScalars.filter { $0 == "\u{FFFD}" }.count
        let multibyte = decoded.unicodeScalars.filter { $0.value >= 0x80 && $0 != "\u{FFFD}" }.count
        return multibyte > replacements * 4
    }

    /// Converts with iconv, replacing unreadable bytes; nil when iconv does not know the charset.
    static func convert(_ bytes: [UInt8], from charset: String) -> String? {
        #if canImport(Glibc)
        let handle = iconv_open("UTF-8", charset)
        if handle == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(handle) }
        if bytes.isEmpty { return "" }
        var input = bytes
        var output = [UInt8](repeating: 0, count: max(64, bytes.count * 4 + 16))
        var produced = 0
        var consumed = 0
        let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
        while consumed < input.count {
            var inLeft = input.count - consumed
            var outLeft = output.count - produced
            let result = input.withUnsafeMutableBufferPointer { inBuffer -> Int in
                output.withUnsafeMutableBufferPointer { outBuffer -> Int in
                    var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress! + consumed)
                        .assumingMemoryBound(to: CChar.self)
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress! + produced)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                }
            }
            let error = errno
            consumed = input.count - inLeft
            produced = output.count - outLeft
            if result != -1 { break }
            switch error {
            case E2BIG:
                output += [UInt8](repeating: 0, count: output.count)
            case EILSEQ, EINVAL:
                // Skip one unreadable byte, mark it, and start the shift state afresh.
                if output.count - produced < 4 { output += [UInt8](repeating: 0, count: output.count) }
                output.replaceSubrange(produced..<(produced + 3), with: replacement)
                produced += 3
                consumed += 1
                iconv(handle, nil, nil, nil, nil)
            default:
                return String(decoding: output[0..<produced], as: UTF8.self)
            }
        }
        input.removeAll()
        // Flush any pending shift sequence (ISO-2022-JP).
        var outLeft = output.count - produced
        output.withUnsafeMutableBufferPointer { outBuffer in
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress! + produced)
                .assumingMemoryBound(to: CChar.self)
            _ = iconv(handle, nil, nil, &outPointer, &outLeft)
        }
        produced = output.count - outLeft
        return String(decoding: output[0..<produced], as: UTF8.self)
        #else
        return nil
        #endif
    }
}
