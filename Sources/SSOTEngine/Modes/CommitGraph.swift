import GitStore

/// What the modes ask of history to choose a change's sides: commits by
/// name, merge bases, what a pushed id is, and the server's HEAD. A git
/// repository answers it; the tests answer it from memory.
public protocol CommitGraph {
    /// The commit a revision names, or nil.
    func commit(_ revision: String) throws -> ObjectID?
    func mergeBase(_ a: ObjectID, _ b: ObjectID) throws -> ObjectID?
    /// What a pushed id is in the object database (the quarantine included).
    func pushedObject(_ oid: ObjectID) -> Repository.PushedObject
    /// The branch HEAD names, if it names one.
    func headReference() -> String?
}

extension Repository: CommitGraph {}
