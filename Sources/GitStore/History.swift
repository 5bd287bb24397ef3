import CLibGit2

/// Commits and their relations: what the server gate needs to find a
/// push's parent side.
extension Repository {
    /// libgit2 1.5 refuses a repository owned by another user (`GIT_EOWNER`).
    /// A server hook often runs as a service account; git itself has already
    /// opened the repository to receive the push, so the server gate turns the
    /// check off. Every other mode keeps it.
    public static func setOwnerValidation(_ enabled: Bool) {
        _ = LibGit2.initialised
        _ = ssot_git_set_owner_validation(enabled ? 1 : 0)
    }

    /// Makes objects that are not in the repository's own object directory
    /// visible: a push's quarantine (`GIT_QUARANTINE_PATH`,
    /// `GIT_OBJECT_DIRECTORY`) and `GIT_ALTERNATE_OBJECT_DIRECTORIES`, which
    /// libgit2 does not read unless opened "from env".
    public func addObjectDirectories(from environment: [String: String], relativeTo directory: String) throws {
        var dirs: [String] = []
        for key in ["GIT_QUARANTINE_PATH", "GIT_OBJECT_DIRECTORY"] {
            if let d = environment[key], !d.isEmpty { dirs.append(d) }
        }
        if let alternates = environment["GIT_ALTERNATE_OBJECT_DIRECTORIES"] {
            dirs += alternates.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        guard !dirs.isEmpty else { return }
        try addObjectDirectories(dirs.map { Repository.absolute($0, relativeTo: directory) })
    }

    func addObjectDirectories(_ dirs: [String]) throws {
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        for path in dirs where !objectDirectories.contains(path) {
            try check(git_odb_add_disk_alternate(odb, path), "git_odb_add_disk_alternate(\(path))")
            objectDirectories.append(path)
        }
    }

    /// The commit a revision names (a tag is peeled), or nil when there is none.
    public func commit(_ revision: String) throws -> ObjectID? {
        var obj: OpaquePointer?
        let code = git_revparse_single(&obj, pointer, revision + "^{commit}")
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue || code == GIT_EPEEL.rawValue
            || code == GIT_EAMBIGUOUS.rawValue {
            return nil
        }
        try check(code, "git_revparse_single(\(revision))")
        defer { git_object_free(obj) }
        return ObjectID(git_object_id(obj).pointee)
    }

    public func tree(ofCommit oid: ObjectID) throws -> Tree {
        try tree(ofRevision: oid.description)
    }

    /// A commit's committer time (Unix seconds) and its time zone, in minutes east of UTC.
    public func commitTime(_ oid: ObjectID) throws -> (seconds: Int64, offsetMinutes: Int) {
        var commit: OpaquePointer?
        var raw = oid.raw
        try check(git_commit_lookup(&commit, pointer, &raw), "git_commit_lookup")
        defer { git_commit_free(commit) }
        return (git_commit_time(commit), Int(git_commit_time_offset(commit)))
    }

    /// The best common ancestor of two commits, or nil when they share none.
    public func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID? {
        var out = git_oid()
        var x = a.raw, y = b.raw
        let code = git_merge_base(&out, pointer, &x, &y)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try check(code, "git_merge_base")
        return ObjectID(out)
    }

    /// Whether `commit` has `ancestor` in its history (or is it).
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws -> Bool {
        if ancestor == commit { return true }
        var c = commit.raw, a = ancestor.raw
        return try check(git_graph_descendant_of(pointer, &c, &a), "git_graph_descendant_of") == 1
    }

    /// The branch HEAD names (`refs/heads/main`), even when it has no commit yet.
    public func headReference() -> String? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, pointer, "HEAD") == 0 else { return nil }
        defer { git_reference_free(ref) }
        guard let target = git_reference_symbolic_target(ref) else { return nil }
        return String(cString: target)
    }
}
