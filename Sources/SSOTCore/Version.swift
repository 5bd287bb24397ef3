/// ssot's version: what `ssot --version` prints and SARIF names as the tool's.
public enum SSOTVersion {
    public static let current = "0.1.0"
}
