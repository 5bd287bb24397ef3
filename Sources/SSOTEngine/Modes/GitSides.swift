import GitStore
import SSOTCore

/// What a gating mode proposes: the index being committed, or a pushed or
/// named commit's tree.
public enum ProposedSide {
    case index(IndexFile)
    case tree(Tree)
}

/// The sides of a change in a git repository: a parent tree (nil: the empty
/// tree), the index or a tree proposed, and the tree the rules come from.
public struct GitSides: ChangeSides {
    public let repository: Repository
    public let parent: Tree?
    public let proposedSide: ProposedSide
    public let rulesFrom: Tree?
    private let pool: ReaderPool

    public init(repository: Repository, parent: Tree?, proposed: ProposedSide, rulesFrom: Tree?) {
        self.repository = repository
        self.parent = parent
        self.proposedSide = proposed
        self.rulesFrom = rulesFrom
        pool = ReaderPool(repository)
    }

    public var rules: SourceTree { CommitTree(repository: repository, tree: rulesFrom) }

    public var proposed: SourceTree {
        switch proposedSide {
        case let .index(index): return StagedTree(repository: repository, index: index)
        case let .tree(tree): return CommitTree(repository: repository, tree: tree)
        }
    }

    /// The parent's baseline, the one big file a commit reads, comes from the
    /// working tree when git proves it unchanged.
    public func lend(at path: String) throws -> FileBytes? {
        var tree = CommitTree(repository: repository, tree: rulesFrom)
        if case let .index(index) = proposedSide { tree.index = index }
        return try tree.lend(at: path)
    }

    public func changes() throws -> [FileChange] {
        switch proposedSide {
        case let .index(index): return try repository.changes(from: parent, to: index)
        case let .tree(tree): return try repository.changes(from: parent, to: tree, helpers: pool.all)
        }
    }

    public func reader(for scanned: [FileChange], config: Config) throws -> ParallelScan.Reader {
        let byPath = Dictionary(scanned.map { ($0.newPath, $0) }, uniquingKeysWith: { a, _ in a })
        var stagedIndex: IndexFile?
        if case let .index(index) = proposedSide { stagedIndex = index }
        // A symlink's target is looked up in the proposed tree, through this thread's handle.
        var links: [String: FileRead] = [:]
        let proposed = self.proposed
        for change in scanned where change.newMode == 0o120000 {
            links[change.newPath] = try BlobReader.symlink(repository, path: change.newPath, oid: change.newOID,
                                                           tree: proposed, config: config)
        }
        return .blobs(pool.handles(for: scanned.count)) { store, path in
            if let link = links[path] { return link }
            let change = byPath[path]!
            return try BlobReader.read(store, oid: change.newOID, mode: change.newMode,
                                       intentToAdd: stagedIndex?.entry(path)?.intentToAdd ?? false, maxSize: config.maxFileSize)
        }
    }
}
