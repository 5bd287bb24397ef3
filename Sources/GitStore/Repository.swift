import CLibGit2
#if canImport(Glibc)
import Glibc
#endif

/// A repository opened the way git's environment describes it.
///
/// libgit2 1.5's `GIT_REPOSITORY_OPEN_FROM_ENV` fails as soon as
/// `GIT_WORK_TREE` or `GIT_COMMON_DIR` is set, which git does inside hooks, so
/// the environment is read here instead: `GIT_DIR` (else discovery from the
/// folder), `GIT_WORK_TREE`, and the object directories of a push's quarantine.
public final class Repository {
    let pointer: OpaquePointer
    public let gitDir: String
    public let workdir: String?
    public var isBare: Bool { workdir == nil }
    /// The git directory shared by all worktrees (`git rev-parse --git-common-dir`):
    /// where a cache of what objects yield belongs, since all worktrees share the objects.
    public var commonDir: String { Repository.trimSlash(String(cString: git_repository_commondir(pointer))) }
    /// Object directories added to libgit2's own (a push's quarantine).
    var objectDirectories: [String] = []

    deinit { git_repository_free(pointer) }

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        self.gitDir = Repository.trimSlash(String(cString: git_repository_path(pointer)))
        self.workdir = git_repository_workdir(pointer).map { Repository.trimSlash(String(cString: $0)) }
    }

    static func trimSlash(_ s: String) -> String {
        s.count > 1 && s.hasSuffix("/") ? String(s.dropLast()) : s
    }

    /// Opens the repository for `directory` (already the process's current
    /// folder, or what `-C` named), honouring `GIT_DIR` and `GIT_WORK_TREE`.
    public static func open(at directory: String, environment: [String: String]) throws -> Repository {
        _ = LibGit2.initialised
        var repo: OpaquePointer?
        if let gitDir = environment["GIT_DIR"], !gitDir.isEmpty {
            let path = absolute(gitDir, relativeTo: directory)
            try check(git_repository_open_ext(&repo, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil),
                      "git_repository_open_ext(\(path))")
        } else {
            // Discovery stops at GIT_CEILING_DIRECTORIES, as git's does.
            let ceilings = environment["GIT_CEILING_DIRECTORIES"].flatMap { $0.isEmpty ? nil : $0 }
            var flags: UInt32 = 0
            if let across = environment["GIT_DISCOVERY_ACROSS_FILESYSTEM"], ["1", "true", "yes", "on"].contains(across.lowercased()) {
                flags |= UInt32(GIT_REPOSITORY_OPEN_CROSS_FS.rawValue)
            }
            let code = git_repository_open_ext(&repo, directory, flags, ceilings)
            if code == GIT_ENOTFOUND.rawValue {
                let detail = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? ""
                // libgit2 1.5 reports a repository of another owner as "not found" when
                // discovery walked up to it; say what it really is.
                if detail.contains("safe.directory") || detail.contains("owner") || Repository.ownedByOther(directory) {
                    throw GitError(function: "git_repository_open_ext", code: GIT_EOWNER.rawValue,
                                   message: "repository at \(directory) is not owned by the current user (\(detail))", kind: .ownership)
                }
                throw GitError(function: "git_repository_open_ext", code: code,
                               message: "not a git repository (or any parent up to /): \(directory)", kind: .notARepository)
            }
            try check(code, "git_repository_open_ext(\(directory))")
        }
        guard let repo else { throw GitError(function: "git_repository_open_ext", code: -1, message: "no repository") }
        if let workTree = environment["GIT_WORK_TREE"], !workTree.isEmpty {
            let code = git_repository_set_workdir(repo, absolute(workTree, relativeTo: directory), 0)
            if code < 0 { git_repository_free(repo) }
            try check(code, "git_repository_set_workdir")
        } else if environment["GIT_DIR"] != nil, git_repository_is_bare(repo) == 0,
                  git_repository_workdir(repo) == nil {
            // git's rule: GIT_DIR without GIT_WORK_TREE makes the current folder the work tree.
            git_repository_set_workdir(repo, directory, 0)
        }
        return Repository(pointer: repo)
    }

    /// Another handle on the same repository, with the same object
    /// directories: libgit2 lets each thread use its own (THREADING.md), so
    /// blobs can be read on several threads at once.
    public func sibling() throws -> Repository {
        var repo: OpaquePointer?
        try check(git_repository_open_ext(&repo, gitDir, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil),
                  "git_repository_open_ext(\(gitDir))")
        guard let repo else { throw GitError(function: "git_repository_open_ext", code: -1, message: "no repository") }
        if let workdir { git_repository_set_workdir(repo, workdir, 0) }
        let other = Repository(pointer: repo)
        try other.addObjectDirectories(objectDirectories)
        return other
    }

    /// Whether `directory` looks like a repository (a `.git`, or a bare one)
    /// whose owner is not the current user.
    static func ownedByOther(_ directory: String) -> Bool {
        var st = stat()
        for candidate in [directory + "/.git", directory] {
            guard stat(candidate, &st) == 0 else { continue }
            var probe = stat()
            let isRepo = candidate.hasSuffix("/.git")
                || (stat(candidate + "/HEAD", &probe) == 0 && stat(candidate + "/objects", &probe) == 0)
            if isRepo { return st.st_uid != geteuid() }
        }
        return false
    }

    public static func absolute(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
    }

    /// The index at `indexFile` (git's `GIT_INDEX_FILE`), or the repository's own.
    public func index(at indexFile: String? = nil) throws -> Index {
        var idx: OpaquePointer?
        if let indexFile {
            try check(git_index_open(&idx, indexFile), "git_index_open(\(indexFile))")
        } else {
            try check(git_repository_index(&idx, pointer), "git_repository_index")
        }
        return Index(pointer: idx!, repository: self, path: indexFile)
    }

    /// The index file at `indexFile`, or the repository's own, read without
    /// libgit2 (see `IndexFile`): for reading only.
    public func indexFile(at indexFile: String? = nil) throws -> IndexFile {
        try IndexFile(path: indexFile ?? gitDir + "/index")
    }

    /// The entries of the index at `indexFile`, or of the repository's own index.
    public func indexEntries(indexFile: String? = nil) throws -> [IndexEntry] {
        try self.indexFile(at: indexFile).entries()
    }

    /// Whether HEAD points at a branch with no commit yet.
    public var isHeadUnborn: Bool { git_repository_head_unborn(pointer) == 1 }

    /// HEAD's tree, or nil on an unborn branch.
    public func headTree() throws -> Tree? {
        if isHeadUnborn { return nil }
        return try tree(ofRevision: "HEAD")
    }

    /// The tree of a commit named by any revision git understands.
    public func tree(ofRevision revision: String) throws -> Tree {
        var obj: OpaquePointer?
        try check(git_revparse_single(&obj, pointer, revision + "^{tree}"), "git_revparse_single(\(revision))")
        return Tree(pointer: obj!, repository: self)
    }

    /// A blob's size, from the object database's header: cheap, and read
    /// before the blob itself so an oversized file is never loaded.
    public func blobSize(_ oid: ObjectID) throws -> Int {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_ANY
        var raw = oid.raw
        try check(git_odb_read_header(&size, &type, odb, &raw), "git_odb_read_header(\(oid))")
        return size
    }

    /// A blob's bytes.
    public func blob(_ oid: ObjectID) throws -> [UInt8] {
        var blob: OpaquePointer?
        var raw = oid.raw
        try check(git_blob_lookup(&blob, pointer, &raw), "git_blob_lookup(\(oid))")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeBufferPointer(start: content.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// The id git would give these bytes as a blob, without writing it:
    /// whether a working-tree file is a commit's blob.
    public static func blobID(of bytes: [UInt8]) -> ObjectID {
        var oid = git_oid()
        bytes.withUnsafeBytes { raw in _ = git_odb_hash(&oid, raw.baseAddress, raw.count, GIT_OBJECT_BLOB) }
        return ObjectID(oid)
    }

    /// Writes bytes as a blob into the object database.
    public func writeBlob(_ bytes: [UInt8]) throws -> ObjectID {
        var oid = git_oid()
        try bytes.withUnsafeBytes { raw in
            _ = try check(git_blob_create_from_buffer(&oid, pointer, raw.baseAddress, raw.count), "git_blob_create_from_buffer")
        }
        return ObjectID(oid)
    }
}

/// One entry of an index, as ssot needs it.
public struct IndexEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case file, executable, symlink, submodule, other }
    public var path: String
    public var kind: Kind
    /// git's file mode (0o100644, 0o100755, 0o120000, 0o160000).
    public var mode: UInt32
    public var oid: ObjectID
    public var stage: Int
    public var intentToAdd: Bool
    public var size: Int
}

/// A 20-byte object id, as a value.
public struct ObjectID: Hashable, Sendable, CustomStringConvertible {
    var raw: git_oid

    init(_ oid: git_oid) { raw = oid }

    public static func == (a: ObjectID, b: ObjectID) -> Bool {
        var x = a.raw, y = b.raw
        return git_oid_equal(&x, &y) != 0
    }

    /// The id's first 16 bytes, as two words: an object id is a SHA-1, so
    /// they tell ids apart as well as all 20 do, and `Hasher` is keyed per
    /// process, so no one can choose ids that share a bucket. Half the cost
    /// of hashing the bytes, for the history walk's tables of thousands.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: raw.id) {
            hasher.combine($0.loadUnaligned(as: UInt64.self))
            hasher.combine($0.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// Forty lowercase hex digits, as git prints an id.
    public var description: String {
        withUnsafeBytes(of: raw.id) { id in
            String(unsafeUninitializedCapacity: 40) { out in
                let hex: StaticString = "0123456789abcdef"
                hex.withUTF8Buffer { digits in
                    for (i, b) in id.enumerated() {
                        out[2 * i] = digits[Int(b >> 4)]
                        out[2 * i + 1] = digits[Int(b & 0xF)]
                    }
                }
                return 40
            }
        }
    }

    /// The id's 20 bytes: a key a cache file can hold.
    public var bytes: [UInt8] { withUnsafeBytes(of: raw.id) { Array($0) } }

    /// The 20 bytes appended, without an array of their own.
    public func append(to out: inout [UInt8]) {
        withUnsafeBytes(of: raw.id) { out.append(contentsOf: $0) }
    }

    /// An id from 20 bytes in memory (a cache file's), or nil for any other count.
    public init?(raw bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 20, let base = bytes.baseAddress else { return nil }
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { $0.baseAddress!.copyMemory(from: base, byteCount: 20) }
        raw = oid
    }

    /// An id from 20 bytes (a cache file's key), or nil for any other count.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 20 else { return nil }
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { $0.copyBytes(from: bytes) }
        raw = oid
    }

    public init?(hex: String) {
        var oid = git_oid()
        guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else { return nil }
        raw = oid
    }
}

/// An index: the repository's, or the one git names in `GIT_INDEX_FILE`.
public final class Index {
    let pointer: OpaquePointer
    let repository: Repository
    /// The file it was opened from, when not the repository's own.
    public let path: String?

    init(pointer: OpaquePointer, repository: Repository, path: String?) {
        self.pointer = pointer
        self.repository = repository
        self.path = path
    }

    deinit { git_index_free(pointer) }

    public func entries() -> [IndexEntry] {
        let n = git_index_entrycount(pointer)
        var out: [IndexEntry] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            guard let e = git_index_get_byindex(pointer, i) else { continue }
            out.append(IndexEntry(e.pointee))
        }
        return out
    }

    /// The stage-0 entry at `path`, if any.
    public func entry(_ path: String) -> IndexEntry? {
        guard let e = PathKey.withCString(path, { git_index_get_bypath(pointer, $0, 0) }) else { return nil }
        return IndexEntry(e.pointee)
    }

    /// Stages `oid` as a regular file at `path`, keeping the old entry's mode.
    public func stage(_ path: String, oid: ObjectID, size: Int) throws {
        var entry = git_index_entry()
        if let old = PathKey.withCString(path, { git_index_get_bypath(pointer, $0, 0) }) { entry = old.pointee }
        entry.mode = entry.mode == 0o100755 ? 0o100755 : 0o100644
        entry.id = oid.raw
        entry.file_size = UInt32(truncatingIfNeeded: size)
        entry.flags_extended &= ~UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)
        try PathKey.withCString(path) { cPath in
            entry.path = cPath
            try check(git_index_add(pointer, &entry), "git_index_add(\(path))")
        }
    }

    /// Writes the index back to its file (through libgit2's own lock file).
    public func write() throws {
        try check(git_index_write(pointer), "git_index_write")
    }
}

extension IndexEntry {
    init(_ e: git_index_entry) {
        self.init(path: PathKey.key(cString: e.path), mode: e.mode, oid: ObjectID(e.id), stage: Int((e.flags & 0x3000) >> 12),
                  intentToAdd: (e.flags_extended & UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)) != 0, size: Int(e.file_size))
    }

    init(path: String, mode: UInt32, oid: ObjectID, stage: Int, intentToAdd: Bool, size: Int) {
        self.path = path
        self.mode = mode
        switch mode {
        case 0o100644: kind = .file
        case 0o100755: kind = .executable
        case 0o120000: kind = .symlink
        case 0o160000: kind = .submodule
        default: kind = .other
        }
        self.oid = oid
        self.stage = stage
        self.intentToAdd = intentToAdd
        self.size = size
    }
}
