// placeholder replaced by the RNG work
public enum DegradeRandomVersion { public static let name = "philox4x32-10" }
