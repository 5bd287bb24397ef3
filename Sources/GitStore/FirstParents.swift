import CLibGit2

/// One commit of a first-parent walk: what `ssot trend` measures (SPEC 10).
public struct HistoryCommit: Sendable, Equatable {
    public var id: ObjectID
    public var tree: ObjectID
    /// Committer time, Unix seconds, and its time zone in minutes east of UTC.
    public var time: Int64
    public var offsetMinutes: Int
    /// The first parent; nil for a root commit.
    public var parent: ObjectID?

    public init(id: ObjectID, tree: ObjectID, time: Int64, offsetMinutes: Int, parent: ObjectID? = nil) {
        self.id = id
        self.tree = tree
        self.time = time
        self.offsetMinutes = offsetMinutes
        self.parent = parent
    }
}

/// The first-parent line of a commit, newest first as git walks it.
public struct FirstParentLine: Sendable {
    public var commits: [HistoryCommit]
    /// The commit the history stops at because its parent is not in the
    /// repository (a shallow clone's boundary): the history before it is
    /// not invented.
    public var cutAt: ObjectID?
    /// A commit came round again: git's parents cannot loop, so what
    /// `known` answered was not the repository's.
    public var looped = false
}

extension Repository {
    /// Turns off libgit2's cache of parsed objects. A history walk reads
    /// each tree about once and holds the one it diffs against itself; the
    /// cache only cost: bounded to 16 MB, its eviction rescans its table
    /// from the start each time (`cache_evict_entries`), and on the
    /// benchmark's 2,000 commits the run took 1.33 s at 93 MB with it and
    /// 0.99 s at 48 MB without (`ssot trend --no-cache`, by hand).
    public static func disableObjectCache() {
        _ = LibGit2.initialised
        _ = ssot_git_enable_caching(0)
    }

    /// Whether the repository is a shallow clone (`.git/shallow`).
    public var isShallow: Bool { git_repository_is_shallow(pointer) == 1 }

    /// `start` and its first parents, newest first, until the root or a
    /// parent the repository lacks (a shallow clone; elsewhere an error).
    /// `stop` ends the walk early, the commit it is true for excluded.
    /// `known` answers for commits already read once (a commit id fixes its
    /// tree, time and parents), so a walk over them reads no commit object;
    /// only the presence of a parent is still asked of a shallow clone.
    public func firstParents(of start: ObjectID, known: (ObjectID) -> HistoryCommit? = { _ in nil },
                             stop: (HistoryCommit) -> Bool = { _ in false }) throws -> FirstParentLine {
        var line = FirstParentLine(commits: [], cutAt: nil)
        var next: ObjectID? = start
        var seen = Set<ObjectID>()
        // Room for a history of thousands at once, not grown and rehashed on the way there.
        seen.reserveCapacity(1 << 12)
        let shallow = isShallow
        while let id = next {
            guard seen.insert(id).inserted else {
                line.looped = true
                break
            }
            let child = line.commits.last
            let c: HistoryCommit
            if let k = known(id), k.id == id, !shallow || child == nil || hasCommit(id) {
                c = k
            } else if let read = try historyCommit(id) {
                c = read
            } else {
                guard let child else { throw GitError(function: "git_commit_lookup", code: -3, message: "commit \(id) is missing") }
                guard shallow else {
                    throw GitError(function: "git_commit_lookup", code: -3,
                                   message: "commit \(id), the first parent of \(child.id), is missing from the repository")
                }
                line.cutAt = child.id
                break
            }
            if stop(c) { break }
            line.commits.append(c)
            next = c.parent
        }
        return line
    }

    /// The commit as the repository has it; nil when the object database lacks it.
    public func historyCommit(_ id: ObjectID) throws -> HistoryCommit? {
        var commit: OpaquePointer?
        var raw = id.raw
        let found = git_commit_lookup(&commit, pointer, &raw)
        if found == GIT_ENOTFOUND.rawValue { return nil }
        try check(found, "git_commit_lookup(\(id))")
        defer { git_commit_free(commit) }
        var parent: ObjectID?
        if git_commit_parentcount(commit) > 0, let p = git_commit_parent_id(commit, 0) { parent = ObjectID(p.pointee) }
        return HistoryCommit(id: id, tree: ObjectID(git_commit_tree_id(commit).pointee),
                             time: git_commit_time(commit), offsetMinutes: Int(git_commit_time_offset(commit)), parent: parent)
    }

    /// Whether the object database holds that commit.
    func hasCommit(_ id: ObjectID) -> Bool {
        var probe: OpaquePointer?
        var raw = id.raw
        guard git_commit_lookup(&probe, pointer, &raw) == 0 else { return false }
        git_commit_free(probe)
        return true
    }

    /// The tree of that id.
    public func tree(_ id: ObjectID) throws -> Tree {
        Tree(pointer: try lookupTree(id.raw), repository: self)
    }

    /// The paths that differ between two trees, each path once (no rename
    /// pairing: a renamed file is a deletion and an addition), equal folders
    /// passed over by id. What a history walk needs from one commit to the next.
    /// `memo`, kept from step to step, spares reading again the folders the
    /// last step read.
    public func pathChanges(from old: Tree?, to new: Tree, memo: TreeMemo? = nil) throws -> [FileChange] {
        var sides = TreeSides()
        var pending: [FolderPair] = []
        try compareTrees(old?.pointer, new.pointer, prefix: [], into: &sides) { pending.append($0) }
        defer { memo?.stepped() }
        for pair in pending { try compareAll(pair, into: &sides, memo: memo) }
        return Repository.direct(old: sides.old, new: sides.new)
    }
}
