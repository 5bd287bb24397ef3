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
                throw GitError(function: "git_repository_open_ext", code: code,
                               message: "not a git repository (or any parent up to /): \(directory)")
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

    static func absolute(_ path: String, relativeTo directory: String) -> String {
        path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
    }

    /// The entries of the index at `indexFile` (git's `GIT_INDEX_FILE`), or
    /// of the repository's own index.
    public func indexEntries(indexFile: String? = nil) throws -> [IndexEntry] {
        let index = try openIndex(indexFile)
        return index.entries()
    }

    func openIndex(_ indexFile: String?) throws -> Index {
        var idx: OpaquePointer?
        if let indexFile {
            try check(git_index_open(&idx, indexFile), "git_index_open(\(indexFile))")
        } else {
            try check(git_repository_index(&idx, pointer), "git_repository_index")
        }
        return Index(pointer: idx!)
    }
}

/// One entry of an index, as ssot needs it.
public struct IndexEntry: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case file, executable, symlink, submodule, other }
    public var path: String
    public var kind: Kind
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

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: raw.id) { hasher.combine(bytes: $0) }
    }

    public var description: String {
        var oid = raw
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, 41, &oid)
        return String(cString: buffer)
    }

    public var isZero: Bool {
        var oid = raw
        return git_oid_is_zero(&oid) != 0
    }

    public init?(hex: String) {
        var oid = git_oid()
        guard hex.utf8.count == 40, git_oid_fromstr(&oid, hex) == 0 else { return nil }
        raw = oid
    }
}

final class Index {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }
    deinit { git_index_free(pointer) }

    func entries() -> [IndexEntry] {
        let n = git_index_entrycount(pointer)
        var out: [IndexEntry] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            guard let e = git_index_get_byindex(pointer, i) else { continue }
            out.append(IndexEntry(e.pointee))
        }
        return out
    }
}

extension IndexEntry {
    init(_ e: git_index_entry) {
        path = String(cString: e.path)
        switch e.mode {
        case 0o100644: kind = .file
        case 0o100755: kind = .executable
        case 0o120000: kind = .symlink
        case 0o160000: kind = .submodule
        default: kind = .other
        }
        oid = ObjectID(e.id)
        stage = Int((e.flags & 0x3000) >> 12)
        intentToAdd = (e.flags_extended & UInt16(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue)) != 0
        size = Int(e.file_size)
    }
}
