import Foundation

/// Mutations of YAML recipes and JSON plans as text: numbers, keys, value types, structure, aliases and bytes.
enum TextMutator {
    /// Numbers that have broken parsers: beyond Int and Double, NaN, infinities, signed zero, powers of two.
    static let extremes = ["1e19", "-1e23", "99999999999999999999999", ".nan", "NaN", ".inf", "-.inf", "1e400", "-1", "0", "-0",
                           "9223372036854775808", "9223372036854775807", "-9223372036854775809", "2147483648", "4294967296",
                           "65536", "16384", "1e-320", "0.5", "1.0000000001", "3", "255", "100000", "1e308", "pi/0", "1e400pi"]
    static let values = ["[1, 2]", "{a: 1}", "\"text\"", "~", "true", "[]", "{}", "[[1]]", "-", "null", "!!binary aGk=", "[1, [2, [3]]]",
                         "'single'", "|\n  block", "&x 1", "*x", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    static let jsonValues = ["null", "true", "[]", "{}", "\"text\"", "-1", "1e308", "[[]]", "\"\"", "0.5", "18446744073709551616"]
    static let structure = ["[", "]", "{", "}", ":", "- ", ",", "&a ", "*a", "!", "|", ">", "'", "\"", "#", "%", "@", "\t", "\n", "  ", "? ", "<<: "]

    /// One to three mutations; the result is bytes, since one mutation makes the text invalid UTF-8.
    static func mutate(_ text: String, json: Bool, rng: inout FuzzRandom) -> ([UInt8], [String]) {
        var t = text
        var notes: [String] = []
        for _ in 0..<(1 + rng.below(3)) {
            let (next, note) = once(t, json: json, rng: &rng)
            t = next
            notes.append(note)
        }
        var bytes = Array(t.utf8)
        if rng.chance(0.08), !bytes.isEmpty {  // a byte that is not UTF-8
            let at = rng.below(bytes.count)
            bytes[at] = UInt8(0x80 + rng.below(0x80))
            notes.append("byte \(at) → 0x\(String(bytes[at], radix: 16))")
        }
        return (bytes, notes)
    }

    static func once(_ text: String, json: Bool, rng: inout FuzzRandom) -> (String, String) {
        var lines = text.components(separatedBy: "\n")
        switch rng.below(json ? 8 : 9) {
        case 0, 1, 2:  // a number becomes an extreme one
            let numbers = ranges(of: #"(?<![A-Za-z_])-?[0-9]+(\.[0-9]+)?([eE]-?[0-9]+)?"#, in: text)
            guard !numbers.isEmpty else { return (text, "no number") }
            let r = rng.pick(numbers), v = rng.pick(extremes)
            return (text.replacingCharacters(in: r, with: v), "number \(text[r]) → \(v)")
        case 3:  // a value changes type
            let valueRanges = ranges(of: json ? #"(?<=": )[^,\n]+"# : #"(?<=: )[^\n#]+"#, in: text)
            guard !valueRanges.isEmpty else { return (text, "no value") }
            let r = rng.pick(valueRanges), v = rng.pick(json ? jsonValues : values)
            return (text.replacingCharacters(in: r, with: v), "value \(text[r]) → \(v)")
        case 4:  // a key is misspelt or swapped for another
            let keys = ranges(of: json ? #"(?<=")[a-zA-Z_]+(?=":)"# : #"[a-z_]+(?=:)"#, in: text)
            guard keys.count > 1 else { return (text, "no key") }
            let r = rng.pick(keys), other = String(text[rng.pick(keys)])
            let v = rng.chance(0.5) ? other : String(text[r]) + "_x"
            return (text.replacingCharacters(in: r, with: v), "key \(text[r]) → \(v)")
        case 5:  // lines deleted, duplicated or swapped
            guard lines.count > 2 else { return (text, "short") }
            let i = rng.below(lines.count), j = rng.below(lines.count)
            switch rng.below(3) {
            case 0: lines.remove(at: i); return (lines.joined(separator: "\n"), "delete line \(i + 1)")
            case 1: lines.insert(lines[i], at: j); return (lines.joined(separator: "\n"), "duplicate line \(i + 1) at \(j + 1)")
            default: lines.swapAt(i, j); return (lines.joined(separator: "\n"), "swap lines \(i + 1), \(j + 1)")
            }
        case 6:  // a structural character inserted
            let s = rng.pick(structure)
            let at = text.utf8.count == 0 ? 0 : rng.below(text.utf8.count)
            let idx = text.utf8.index(text.utf8.startIndex, offsetBy: at)
            return (String(text[..<idx]) + s + text[idx...], "insert \(s.debugDescription) at byte \(at)")
        case 7:  // truncated
            let keep = rng.below(max(1, text.utf8.count))
            return (String(decoding: Array(text.utf8.prefix(keep)), as: UTF8.self), "truncate to \(keep) bytes")
        default:  // an alias bomb of some depth replaces the pipeline
            let depth = 2 + rng.below(40)
            var bomb = ["pipeline:", "  - shuffle: &a0 [quantize, clip]"]
            for i in 1..<depth { bomb.append("  - shuffle: &a\(i) [{shuffle: *a\(i - 1)}, {shuffle: *a\(i - 1)}]") }
            let kept = lines.prefix { !$0.hasPrefix("pipeline") }
            return ((kept + bomb).joined(separator: "\n") + "\n", "alias bomb of depth \(depth)")
        }
    }

    static func ranges(of pattern: String, in text: String) -> [Range<String.Index>] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        return re.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
    }
}
