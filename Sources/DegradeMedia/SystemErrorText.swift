import Foundation

/// A Foundation file error in plain words ("Read-only file system", "No such file or directory"), never its
/// domain and code: what a user can act on.
public enum SystemErrorText {
    public static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        guard ns.domain == NSCocoaErrorDomain else { return "\(error)" }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "No such file or directory"
        case .fileReadNoPermission, .fileWriteNoPermission: return "Permission denied"
        case .fileWriteOutOfSpace: return "No space left on device"
        case .fileWriteVolumeReadOnly: return "Read-only file system"
        case .fileWriteFileExists: return "a file is already there"
        case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: return "not UTF-8 text"
        case .fileReadCorruptFile: return "the file is corrupt or of another format"
        case .fileReadTooLarge: return "the file is too large"
        default: return "the file system refused (error \(ns.code))"
        }
    }

    /// The path a Foundation file error names, when it names one.
    public static func path(_ error: Error) -> String? {
        let ns = error as NSError
        return ns.userInfo[NSFilePathErrorKey] as? String ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
    }
}
