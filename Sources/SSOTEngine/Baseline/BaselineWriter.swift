import GitStore
import SSOTCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes a baseline into the working tree and the index together, after
/// making sure no unstaged edit of it would be lost.
public struct BaselineWriter {
    public let repo: Repository
    public let index: Index
    public let path: String

    public init(repo: Repository, index: Index, path: String) {
        self.repo = repo
        self.index = index
        self.path = path
    }

    /// The staged baseline, else an untracked one in the working tree.
    public func existing() throws -> Baseline? {
        try BaselineWriter.checkNoLink(path, index: index, workdir: repo.workdir)
        if let staged = try BaselineFile.read(StagedTree(repository: repo, index: index), path, side: "staged") { return staged }
        guard let workdir = repo.workdir else { return nil }
        return try BaselineFile.read(WorkingTree(root: workdir), path, side: "working tree")
    }

    public func write(_ baseline: Baseline) throws {
        guard let workdir = repo.workdir else { throw Failure.repository("a bare repository has no working tree to write \(path) into") }
        try BaselineWriter.checkNoLink(path, index: index, workdir: workdir)
        let tree = WorkingTree(root: workdir)
        let staged = try StagedTree(repository: repo, index: index).bytes(at: path)
        let onDisk = try tree.bytes(at: path)
        if onDisk == nil, let why = BaselineWriter.unreadable(workdir + "/" + path) {
            throw Failure.usage("cannot read the existing \(TextEscape.escape(path)) (\(why));"
                + " ssot never overwrites a baseline it could not read: fix its permissions or move it away")
        }
        // What is there, staged or not, must be a baseline, or it is someone's file
        // (`baseline = "setup.py"`): ssot never writes over what it could not read as one.
        for (side, bytes) in [("staged", staged), ("working tree", onDisk)] {
            if let bytes { _ = try BaselineFile.read(MemoryTree(bytes: [path: bytes]), path, side: side) }
        }
        if let staged, let onDisk, staged != onDisk {
            throw Failure.usage("the working-tree \(path) has unstaged changes; stage them (`git add \(path)`) or discard them, then run again")
        }
        let bytes = Array(baseline.serialized().utf8)
        try AtomicFile.write(bytes, root: workdir, relative: path)
        try stage(bytes)
    }

    /// SPEC 3: a baseline path whose folders or file are symlinks, in the
    /// index or on disk, is a config error. (`AtomicFile` refuses them again
    /// as it writes, for a link swapped in meanwhile.)
    static func checkNoLink(_ path: String, index: Index, workdir: String?) throws {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/" + part
            var st = stat()
            let onDisk = workdir.map { lstat($0 + "/" + prefix, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK } ?? false
            if index.entry(prefix)?.mode == 0o120000 || onDisk {
                throw Failure.usage("the baseline path \(TextEscape.escape(path)) goes through \(TextEscape.escape(prefix)), a symbolic link"
                    + " \(onDisk ? "in the work tree" : "in the index"); ssot never writes through one: name a baseline path without links")
            }
        }
    }

    /// Why a file that is there cannot be read; nil when it is absent or readable.
    static func unreadable(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFLNK { return "it is a symbolic link" }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return "it is not a regular file" }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        close(fd)
        return nil
    }

    public func stage(_ bytes: [UInt8]) throws {
        let oid = try repo.writeBlob(bytes)
        try index.stage(path, oid: oid, size: bytes.count)
        try index.write()
    }
}
