import SSOTCore

/// Reads a baseline file from one side of a change. A baseline that cannot
/// be read stops the run (exit 2), and nothing is ever written over it.
public enum BaselineFile {
    public static func read(_ tree: SourceTree, _ path: String, side: String, paths: Set<String>? = nil) throws -> Baseline? {
        try checked(side: side) { try tree.withBytes(at: path) { try Baseline.parse($0, file: path, paths: paths) } }
    }

    /// `body`'s malformed baseline as SPEC section 7's exit 2, with the way out.
    public static func checked<T>(side: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BaselineError {
            throw Failure.usage("malformed baseline (\(side)): \(error.description); fix it or regenerate it with `ssot baseline`")
        }
    }
}
