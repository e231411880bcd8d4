/// The tool's version, recorded in every plan and catalog so outputs can be traced to the code that made them.
public enum DegradeVersion {
    public static let string = "0.1.0"
}
