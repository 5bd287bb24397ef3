import CLibGit2

/// The repository's git config, and what the server gate asks of the refs
/// and objects around a push.
extension Repository {
    /// Every value of `name` (a multi-valued key gives several), in the order
    /// git reads them: system, global, then the repository's own config. On a
    /// server this is the only config a pusher cannot write (SPEC 1.1).
    public func configValues(_ name: String) throws -> [String] {
        var config: OpaquePointer?
        try check(git_repository_config_snapshot(&config, pointer), "git_repository_config_snapshot")
        defer { git_config_free(config) }
        var iterator: OpaquePointer?
        let code = git_config_multivar_iterator_new(&iterator, config, name, nil)
        if code == GIT_ENOTFOUND.rawValue { return [] }
        try check(code, "git_config_multivar_iterator_new(\(name))")
        defer { git_config_iterator_free(iterator) }
        var out: [String] = []
        while true {
            var entry: UnsafeMutablePointer<git_config_entry>?
            let next = git_config_next(&entry, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "git_config_next(\(name))")
            if let value = entry?.pointee.value { out.append(String(cString: value)) }
        }
        return out
    }

    /// The names of every reference (branches, tags, remotes' refs), as stored now.
    public func referenceNames() throws -> [String] {
        var iterator: OpaquePointer?
        try check(git_reference_iterator_new(&iterator, pointer), "git_reference_iterator_new")
        defer { git_reference_iterator_free(iterator) }
        var out: [String] = []
        while true {
            var name: UnsafePointer<CChar>?
            let next = git_reference_next_name(&name, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try check(next, "git_reference_next_name")
            if let name { out.append(String(cString: name)) }
        }
        return out
    }

    /// What a pushed object id names, told apart the way the server gate
    /// must: an object that cannot be read (lost quarantine, corruption) is
    /// not the same as one that is not a commit.
    public enum PushedObject: Equatable {
        case commit(ObjectID)
        /// The object exists but does not peel to a commit (a blob, a tree, a tag of one).
        case notCommit(String)
        case missing
    }

    public func pushedObject(_ oid: ObjectID) -> PushedObject {
        var obj: OpaquePointer?
        var raw = oid.raw
        guard git_object_lookup(&obj, pointer, &raw, GIT_OBJECT_ANY) == 0 else { return .missing }
        defer { git_object_free(obj) }
        let type = String(cString: git_object_type2string(git_object_type(obj)))
        var peeled: OpaquePointer?
        let code = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)
        guard code == 0, let peeled else {
            // A tag whose target is absent is unreadable, not "not a commit".
            return code == GIT_ENOTFOUND.rawValue ? .missing : .notCommit(type)
        }
        defer { git_object_free(peeled) }
        return .commit(ObjectID(git_object_id(peeled).pointee))
    }
}
