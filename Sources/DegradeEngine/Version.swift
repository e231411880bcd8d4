/// The tool's version, recorded in every plan and catalog so outputs can be traced to the code that made them.
public enum DegradeVersion {
    public static let string = "0.2.0"

    /// What a (recipe, seed, key) renders to: bumped by every deliberate change of output bytes (a sampling rule, an
    /// op's arithmetic), recorded in every plan and catalog, and checked by the golden fixtures. A set written with
    /// another sample version is not resumed or merged into. History (also in recipes/README.md):
    /// 1 — the first release; 2 — realbasicvsr draws β as mmedit 0.16.1 does (`beta_rule: mmedit`), rendered GTs are
    /// cropped to a multiple of the recipe's scale.
    public static let sampleVersion = 2
}
