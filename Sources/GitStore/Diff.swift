import CLibGit2

/// One file that differs between the parent and the proposed side.
public struct FileChange: Equatable, Sendable {
    public enum Status: Equatable, Sendable { case added, modified, deleted, renamed, copied, typeChanged }
    public var status: Status
    public var oldPath: String
    public var newPath: String
    public var oldMode: UInt32
    public var newMode: UInt32
    public var oldOID: ObjectID
    public var newOID: ObjectID
    public var similarity: Int

    public init(status: Status, oldPath: String, newPath: String, oldMode: UInt32, newMode: UInt32,
                oldOID: ObjectID, newOID: ObjectID, similarity: Int) {
        self.status = status
        self.oldPath = oldPath
        self.newPath = newPath
        self.oldMode = oldMode
        self.newMode = newMode
        self.oldOID = oldOID
        self.newOID = newOID
        self.similarity = similarity
    }
}

extension Repository {
    /// Runs a libgit2 diff with rename detection and lists its deltas.
    func diff(_ make: (inout OpaquePointer?, inout git_diff_options) -> Int32) throws -> [FileChange] {
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        options.flags |= GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        var diff: OpaquePointer?
        try check(make(&diff, &options), "git_diff")
        defer { git_diff_free(diff) }
        var find = git_diff_find_options()
        try check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "git_diff_find_options_init")
        find.flags = GIT_DIFF_FIND_RENAMES.rawValue
        find.rename_threshold = 50
        try check(git_diff_find_similar(diff, &find), "git_diff_find_similar")
        var out: [FileChange] = []
        let n = git_diff_num_deltas(diff)
        for i in 0..<n {
            guard let d = git_diff_get_delta(diff, i)?.pointee else { continue }
            let status: FileChange.Status
            switch d.status {
            case GIT_DELTA_ADDED: status = .added
            case GIT_DELTA_DELETED: status = .deleted
            case GIT_DELTA_MODIFIED: status = .modified
            case GIT_DELTA_RENAMED: status = .renamed
            case GIT_DELTA_COPIED: status = .copied
            case GIT_DELTA_TYPECHANGE: status = .typeChanged
            default: continue
            }
            out.append(FileChange(status: status,
                                  oldPath: d.old_file.path.map { PathKey.key(cString: $0) } ?? "",
                                  newPath: d.new_file.path.map { PathKey.key(cString: $0) } ?? "",
                                  oldMode: UInt32(d.old_file.mode), newMode: UInt32(d.new_file.mode),
                                  oldOID: ObjectID(d.old_file.id), newOID: ObjectID(d.new_file.id),
                                  similarity: Int(d.similarity)))
        }
        return out
    }
}
