import Foundation

/// Terminal output: results on stdout, diagnostics and progress on stderr, so pipes carry only results.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("degrade: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        fflush(nil)  // flush stdout (all streams): keep results printed so far ahead of the note when both go to one terminal
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
