import GitStore
import SSOTCore

/// SPEC section 5: after an accepted commit that fixed, renamed or deleted
/// baselined violations, the smaller baseline goes into the same commit.
///
/// It is written into the index git is committing (git re-reads it after the
/// hook) and into the working tree, but only where the working-tree file
/// still equals the staged one: unstaged edits to the baseline are never
/// overwritten. A commit of named paths (`git commit PATH`, index
/// `next-index-*.lock`) commits a temporary index that git does not re-read
/// into the real one, so there it only says what to run.
public struct Tightening {
    public let judgement: ChangeJudgement
    public let config: Config
    public let repository: Repository
    /// `GIT_INDEX_FILE`, or nil for the repository's own index. libgit2 reads
    /// it here only when there is something to stage, since it reads all of it.
    public let indexFile: String?
    public let head: Tree?

    /// What tightening did, for the report.
    public enum Outcome: Equatable {
        /// Nothing to tighten, or `tighten = "off"`.
        case nothing
        /// `tighten = "warn"`: these entries could be tightened.
        case warned([BaselineChange])
        /// `git commit PATH`: nothing was staged; the user runs the command.
        case notStaged([BaselineChange])
        /// Staged with the commit; `workTreeLeftAlone` when the working-tree
        /// baseline had unstaged edits and was not written.
        case staged([BaselineChange], workTreeLeftAlone: Bool)
    }

    public func apply() throws -> Outcome {
        guard let plan = judgement.plan else { return .nothing }
        let file = config.baseline
        switch config.tighten {
        case .off: return .nothing
        case .warn: return .warned(judgement.tightenings)
        case .stage: break
        }
        if let path = indexFile, path.split(separator: "/").last?.hasPrefix("next-index-") == true {
            return .notStaged(judgement.tightenings)
        }
        let index = try repository.index(at: indexFile)
        let staged = try StagedTree(repository: repository, index: index).bytes(at: file)
        // The gate may have read only the change's entries; the file written is the whole one, tightened.
        let tightened = try judgement.tightened
            ?? (BaselineFile.read(CommitTree(repository: repository, tree: head), file, side: "HEAD") ?? Baseline()).applying(plan)
        let bytes = Array(tightened.serialized().utf8)
        let oid = try repository.writeBlob(bytes)
        try index.stage(file, oid: oid, size: bytes.count)
        try index.write()
        var leftAlone = false
        if let workdir = repository.workdir {
            if try WorkingTree(root: workdir).bytes(at: file) == staged {
                try AtomicFile.write(bytes, root: workdir, relative: file)
            } else {
                leftAlone = true
            }
        }
        return .staged(judgement.tightenings, workTreeLeftAlone: leftAlone)
    }
}
