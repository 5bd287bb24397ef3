import CLibGit2

/// One commit of a first-parent walk: what `ssot trend` measures (SPEC 10).
public struct HistoryCommit: Sendable, Equatable {
    public var id: ObjectID
    public var tree: ObjectID
    /// Committer time, Unix seconds, and its time zone in minutes east of UTC.
    public var time: Int64
    public var offsetMinutes: Int

    public init(id: ObjectID, tree: ObjectID, time: Int64, offsetMinutes: Int) {
        self.id = id
        self.tree = tree
        self.time = time
        self.offsetMinutes = offsetMinutes
    }
}

/// The first-parent line of a commit, newest first as git walks it.
public struct FirstParentLine: Sendable {
    public var commits: [HistoryCommit]
    /// The commit the history stops at because its parent is not in the
    /// repository (a shallow clone's boundary): the history before it is
    /// not invented.
    public var cutAt: ObjectID?
}

extension Repository {
    /// Bounds libgit2's cache of parsed objects (256 MB by default): a walk
    /// over thousands of commits reads each tree once, and caching them all
    /// made its memory grow with the history.
    public static func limitObjectCache(bytes: Int) {
        _ = LibGit2.initialised
        _ = ssot_git_set_cache_max_size(Int64(bytes))
    }

    /// Whether the repository is a shallow clone (`.git/shallow`).
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// `start` and its first parents, newest first, until the root or a
    /// parent the repository lacks (a shallow clone; elsewhere an error).
    /// `stop` ends the walk early, the commit it is true for excluded.
    public func firstParents(of start: ObjectID, stop: (HistoryCommit) -> Bool = { _ in false }) throws -> FirstParentLine {
        var line = FirstParentLine(commits: [], cutAt: nil)
        var next: ObjectID? = start
        var seen = Set<ObjectID>()
        while let id = next, seen.insert(id).inserted {
            var commit: OpaquePointer?
            var raw = id.raw
            try check(git_commit_lookup(&commit, pointer, &raw), "git_commit_lookup(\(id))")
            defer { git_commit_free(commit) }
            let c = HistoryCommit(id: id, tree: ObjectID(git_commit_tree_id(commit).pointee),
                                  time: git_commit_time(commit), offsetMinutes: Int(git_commit_time_offset(commit)))
            if stop(c) { break }
            line.commits.append(c)
            next = nil
            guard git_commit_parentcount(commit) > 0, let parent = git_commit_parent_id(commit, 0) else { break }
            let parentID = ObjectID(parent.pointee)
            var probe: OpaquePointer?
            var praw = parentID.raw
            if git_commit_lookup(&probe, pointer, &praw) != 0 {
                guard isShallow else {
                    throw GitError(function: "git_commit_lookup", code: -3,
                                   message: "commit \(parentID), the first parent of \(id), is missing from the repository")
                }
                line.cutAt = id
                break
            }
            git_commit_free(probe)
            next = parentID
        }
        return line
    }

    /// The tree of that id.
    public func tree(_ id: ObjectID) throws -> Tree {
        Tree(pointer: try lookupTree(id.raw), repository: self)
    }

    /// The paths that differ between two trees, each path once (no rename
    /// pairing: a renamed file is a deletion and an addition), equal folders
    /// passed over by id. What a history walk needs from one commit to the next.
    public func pathChanges(from old: Tree?, to new: Tree) throws -> [FileChange] {
        var sides = TreeSides()
        var pending: [FolderPair] = []
        try compareTrees(old?.pointer, new.pointer, prefix: [], into: &sides) { pending.append($0) }
        for pair in pending { try compareAll(pair, into: &sides) }
        return Repository.direct(old: sides.old, new: sides.new)
    }
}
