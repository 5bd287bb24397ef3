import CLibGit2

/// The folders a history walk has read of the tree it stands on, by id.
///
/// Stepping from one commit to the next reads every folder that differs on
/// both sides; the old side's folders are the ones the previous step read
/// as its new side, or passed over then and read once since. Keeping them
/// halves the walk's tree reads (each an inflate and delta resolution in
/// the pack; libgit2's own object cache is off for the walk, see
/// `disableObjectCache`). Only folders of the current tree are kept, so
/// memory follows the size of one tree, not the length of the history.
///
/// A tree id fixes its content, so what the memo answers is never stale;
/// it is used by one thread.
public final class TreeMemo {
    private var trees: [ObjectID: OpaquePointer] = [:]
    /// The entries of the folders held: what their memory follows.
    private var entries = 0
    /// Folders the step in progress read on its old side and on its new side.
    private var left: [ObjectID] = []
    private var reached: Set<ObjectID> = []
    /// More folders, or more entries in them, than these and the memo starts
    /// over: a tree that large (a hostile one's folders may each list
    /// thousands of entries) is walked as without the memo, not held whole.
    let bound: Int
    let entryBound: Int

    public init(bound: Int = 1 << 16, entryBound: Int = 1 << 20) {
        self.bound = bound
        self.entryBound = entryBound
    }

    deinit { for t in trees.values { git_tree_free(t) } }

    /// Forgets everything: the next step starts from a tree the memo did not follow.
    public func clear() {
        for t in trees.values { git_tree_free(t) }
        trees = [:]
        entries = 0
        left = []
        reached = []
    }

    /// The folder of that id; it belongs to the memo, not to the caller.
    func tree(_ id: git_oid, old: Bool, via repo: Repository) throws -> OpaquePointer {
        let key = ObjectID(id)
        if old { left.append(key) } else { reached.insert(key) }
        if let t = trees[key] { return t }
        let t = try repo.lookupTree(id)
        trees[key] = t
        entries += git_tree_entrycount(t)
        return t
    }

    /// The step is done: the old side's folders that the new tree no longer
    /// holds are let go, and past the bound all of them. Only here, between
    /// steps: a step still compares the folders it was given.
    func stepped() {
        for key in left where !reached.contains(key) {
            if let t = trees.removeValue(forKey: key) {
                entries -= git_tree_entrycount(t)
                git_tree_free(t)
            }
        }
        left = []
        reached = []
        if trees.count > bound || entries > entryBound { clear() }
    }

    var count: Int { trees.count }
    var entryCount: Int { entries }
}
