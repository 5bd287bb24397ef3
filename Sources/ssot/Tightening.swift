import Foundation
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
struct Tightening {
    let judgement: ChangeJudgement
    let config: Config
    let repository: Repository
    /// `GIT_INDEX_FILE`, or nil for the repository's own index. libgit2 reads
    /// it here only when there is something to stage, since it reads all of it.
    let indexFile: String?
    let head: Tree?

    func apply() throws {
        guard let plan = judgement.plan else { return }
        let list = Tightening.describe(judgement.tightenings)
        let file = config.baseline
        let command = "ssot baseline && git commit -m \"Tighten the ssot baseline\" -- \(file)"
        switch config.tighten {
        case .off:
            return
        case .warn:
            Output.stderr("ssot: note: \(file) allows more than this commit leaves (tighten = \"warn\"):\n\(list)\n"
                + "  to tighten it after the commit, run: \(command)\n")
            return
        case .stage:
            break
        }
        if let path = indexFile, (path as NSString).lastPathComponent.hasPrefix("next-index-") {
            Output.stderr("ssot: note: \(file) can be tightened:\n\(list)\n"
                + "  this commit names its paths (`git commit PATH`), so ssot did not stage it; after the commit, run: \(command)\n")
            return
        }
        let index = try RepositoryProblem.wrap { try repository.index(at: indexFile) }
        let staged = try StagedTree(repository: repository, index: index).bytes(at: file)
        // The gate may have read only the change's entries; the file written is the whole one, tightened.
        let tightened = try judgement.tightened
            ?? (BaselineFile.read(CommitTree(repository: repository, tree: head), file, side: "HEAD") ?? Baseline()).applying(plan)
        let bytes = Array(tightened.serialized().utf8)
        let oid = try RepositoryProblem.wrap { try repository.writeBlob(bytes) }
        try RepositoryProblem.wrap {
            try index.stage(file, oid: oid, size: bytes.count)
            try index.write()
        }
        var message = "ssot: tightened \(file), staged with this commit:\n\(list)\n"
        if let workdir = repository.workdir {
            let onDisk = try WorkingTree(root: workdir).bytes(at: file)
            if onDisk == staged {
                try AtomicFile.write(bytes, root: workdir, relative: file)
            } else {
                message += "  the working-tree \(file) has unstaged edits, so it was left alone; "
                    + "after the commit `git diff \(file)` shows them against the tightened one\n"
            }
        }
        Output.stderr(message)
    }
}

extension Tightening {
    /// One line per entry: `path rule fingerprint 2 → 1`, or `moved to NEW`
    /// for the entries a rename carried along.
    static func describe(_ changes: [BaselineChange]) -> String {
        var movedIn: [String: [BaselineChange]] = [:]
        for c in changes where c.before == 0 { movedIn[c.key.rule + "\t" + c.key.fingerprint, default: []].append(c) }
        var shown = Set<BaselineKey>()
        var lines: [String] = []
        for c in changes where c.before > 0 {
            let head = "  \(Terminal.escape(c.key.path))\t\(c.key.rule)\t\(Terminal.escape(c.key.fingerprint))\t"
            if c.after == 0, let target = movedIn[c.key.rule + "\t" + c.key.fingerprint]?.first(where: { !shown.contains($0.key) }) {
                shown.insert(target.key)
                lines.append(head + "moved to \(Terminal.escape(target.key.path))" + (target.after < c.before ? " (\(c.before) → \(target.after))" : ""))
            } else {
                lines.append(head + "\(c.before) → \(c.after)")
            }
        }
        for c in changes where c.before == 0 && !shown.contains(c.key) {
            lines.append("  \(Terminal.escape(c.key.path))\t\(c.key.rule)\t\(Terminal.escape(c.key.fingerprint))\t0 → \(c.after)")
        }
        return lines.joined(separator: "\n")
    }
}
