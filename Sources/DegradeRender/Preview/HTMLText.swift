/// Text made safe for HTML: every character with a meaning in markup or attribute values is escaped, so
/// recipe names, descriptions, keys and plan JSON (all user data) can never break out of the page's markup.
public enum HTMLText {
    /// Escapes `& < > " '`; safe in element content and in double- or single-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline have no business in a page; show them as U+FFFD.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" && ch != "\r" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}

/// File and folder names derived from user data (recipe names, clip keys): lowercase ASCII letters, digits
/// and single dashes only, so they need no URL escaping in the gallery and can never name a parent folder.
enum PreviewSlug {
    static func make(_ text: String, maxLength: Int = 40) -> String {
        var out = ""
        var lastDash = true
        for ch in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) {
                out.unicodeScalars.append(ch)
                lastDash = false
            } else if !lastDash {
                out += "-"
                lastDash = true
            }
            if out.count >= maxLength { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }
}
