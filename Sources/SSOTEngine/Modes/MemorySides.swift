import GitStore
import SSOTCore

/// The sides of a change held in memory: the gate's whole pipeline (config
/// and baseline from the rules side, the diff, SPEC 2's skip rules, the
/// scan, the decision) runs on it in process, without git, in the tests.
///
/// Files are compared by content and mode; renames are given, as git's
/// rename detection would have found them.
public struct MemorySides: ChangeSides {
    /// A file of one side: its bytes, and its git mode (0o120000 is a
    /// symlink whose bytes are its target, 0o160000 a submodule).
    public struct File: Equatable {
        public var bytes: [UInt8]
        public var mode: UInt32

        public init(_ text: String, mode: UInt32 = 0o100644) {
            bytes = Array(text.utf8)
            self.mode = mode
        }

        public init(bytes: [UInt8], mode: UInt32 = 0o100644) {
            self.bytes = bytes
            self.mode = mode
        }
    }

    public let parent: [String: File]
    public let proposedFiles: [String: File]
    public let rulesFiles: [String: File]
    /// Old path → new path, for files the change renames.
    public let renames: [String: String]
    private let blobs: MemoryBlobs

    /// `rules` defaults to the parent, as in every mode but a new branch's.
    public init(parent: [String: File], proposed: [String: File], rules: [String: File]? = nil, renames: [String: String] = [:]) {
        self.parent = parent
        proposedFiles = proposed
        rulesFiles = rules ?? parent
        self.renames = renames
        blobs = MemoryBlobs(parent.values.map(\.bytes) + proposed.values.map(\.bytes))
    }

    public var rules: SourceTree { MemoryTree(bytes: MemorySides.regular(rulesFiles)) }
    public var proposed: SourceTree { MemoryTree(bytes: MemorySides.regular(proposedFiles)) }

    /// The regular files of a side: what a tree's `bytes(at:)` reads.
    static func regular(_ files: [String: File]) -> [String: [UInt8]] {
        files.filter { $0.value.mode == 0o100644 || $0.value.mode == 0o100755 }.mapValues(\.bytes)
    }

    public func lend(at path: String) throws -> FileBytes? {
        guard let file = rulesFiles[path], file.mode == 0o100644 || file.mode == 0o100755 else { return nil }
        return FileBytes(oid: blobs.id(file.bytes), bytes: file.bytes)
    }

    public func changes() throws -> [FileChange] {
        var out: [FileChange] = []
        let renamedTo = Set(renames.values)
        func change(_ status: FileChange.Status, _ old: String, _ new: String, _ a: File?, _ b: File?) -> FileChange {
            FileChange(status: status, oldPath: old, newPath: new, oldMode: a?.mode ?? 0, newMode: b?.mode ?? 0,
                       oldOID: a.map { blobs.id($0.bytes) } ?? MemoryBlobs.zero, newOID: b.map { blobs.id($0.bytes) } ?? MemoryBlobs.zero,
                       similarity: status == .renamed ? 100 : 0)
        }
        for path in Set(parent.keys).union(proposedFiles.keys).sorted(by: Bytewise.less) {
            let a = parent[path], b = proposedFiles[path]
            if let target = renames[path], let moved = proposedFiles[target], a != nil, b == nil {
                out.append(change(.renamed, path, target, a, moved))
                continue
            }
            if renamedTo.contains(path) && a == nil { continue }
            switch (a, b) {
            case (nil, let b?): out.append(change(.added, path, path, nil, b))
            case (let a?, nil): out.append(change(.deleted, path, path, a, nil))
            case let (a?, b?) where a != b:
                out.append(change(a.mode & 0o170000 == b.mode & 0o170000 ? .modified : .typeChanged, path, path, a, b))
            default: break
            }
        }
        return out
    }

    public func reader(for scanned: [FileChange], config: Config) throws -> ParallelScan.Reader {
        let byPath = Dictionary(scanned.map { ($0.newPath, $0) }, uniquingKeysWith: { a, _ in a })
        var links: [String: FileRead] = [:]
        for change in scanned where change.newMode == 0o120000 {
            links[change.newPath] = try BlobReader.symlink(blobs, path: change.newPath, oid: change.newOID, tree: proposed, config: config)
        }
        let blobs = self.blobs
        return .concurrent { path in
            if let link = links[path] { return link }
            let change = byPath[path]!
            return try BlobReader.read(blobs, oid: change.newOID, mode: change.newMode, intentToAdd: false, maxSize: config.maxFileSize)
        }
    }
}

/// Blobs by content, each with an id of its own, as git's object database
/// would hold them.
final class MemoryBlobs: BlobStore, @unchecked Sendable {
    static let zero = ObjectID(hex: String(repeating: "0", count: 40))!
    private var ids: [[UInt8]: ObjectID] = [:]
    private var bytes: [ObjectID: [UInt8]] = [:]

    init(_ contents: [[UInt8]]) {
        for content in contents where ids[content] == nil {
            let hex = String(ids.count + 1, radix: 16)
            let id = ObjectID(hex: String(repeating: "0", count: 40 - hex.count) + hex)!
            ids[content] = id
            bytes[id] = content
        }
    }

    func id(_ content: [UInt8]) -> ObjectID { ids[content]! }

    func blobSize(_ oid: ObjectID) throws -> Int { try blob(oid).count }

    func blob(_ oid: ObjectID) throws -> [UInt8] {
        guard let content = bytes[oid] else { throw GitError(function: "memory", code: -3, message: "no blob \(oid)") }
        return content
    }
}
