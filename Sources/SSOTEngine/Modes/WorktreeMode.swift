import GitStore
import SSOTCore

/// `ssot check --all` and `ssot check PATH…`: config, baseline and files come
/// from the working tree, the way a linter reads them (SPEC section 4,
/// modes). The gate's decision is the same as for a change: every file is
/// checked against the baseline's allowance, and a file that cannot be
/// checked is a warning here, not a rejection.
public struct WorktreeMode: Mode {
    /// The files or folders named; nil for `--all`.
    public let paths: [String]?
    public var kind: CheckMode { paths == nil ? .all : .paths }

    public init(paths: [String]?) { self.paths = paths }

    public func run(_ context: CheckContext) throws -> CheckOutcome {
        Trace.mark("working directory and --config")
        let selection = try WorktreeSelection(context, paths: paths, command: "check (use --range or --pre-receive)")
        let reports = selection.scan()
        Trace.mark("read and scan")
        let (index, config, baseline) = (selection.index, selection.config, selection.baseline)
        // Entries of files git no longer tracks allow nothing: shown as loose, as a deletion's are;
        // a file git does not track is an added file, which no entry allows (SPEC 4, step 2).
        let files = reports.map { report in
            ChangedFile(path: report.path, added: index.map { !$0.tracks(report.path) } ?? false, report: report)
        }
        var input = ChangeInput(mode: kind, config: config, parentBaseline: baseline, proposedBaseline: nil,
                                files: files, removed: selection.untracked)
        input.noBaseline = context.noBaseline
        input.uncheckableRejects = false
        var verdict = ChangeGate.judge(input).verdict
        verdict.messages = selection.messages + verdict.messages
        return .verdict(verdict, tightening: nil)
    }
}
