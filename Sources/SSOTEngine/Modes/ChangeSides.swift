import GitStore
import SSOTCore

/// The two sides of a change and the side that sets its rules, wherever they
/// are kept: in a git repository (`GitSides`), or in memory (`MemorySides`,
/// for the gate's tests). `ChangePipeline` reads everything through it.
public protocol ChangeSides {
    /// Where config and baseline come from (SPEC 4): the parent, or for a
    /// new branch on the server, the default branch's tip.
    var rules: SourceTree { get }
    /// The proposed side: its config, compared with the rules', and the
    /// targets of its symlinks.
    var proposed: SourceTree { get }
    /// The rules side's file at `path`, lent to another thread to split
    /// (the baseline); nil when it has none.
    func lend(at path: String) throws -> FileBytes?
    /// Parent → proposed, with rename detection.
    func changes() throws -> [FileChange]
    /// Reads the proposed side of the changed files the gate scans, with
    /// SPEC 2's skip rules.
    func reader(for scanned: [FileChange], config: Config) throws -> ParallelScan.Reader
}
