import Dispatch
import SSOTCore

/// The parent's baseline, lent as soon as the config names it, then read
/// and split into lines (`BaselineLines`) on another core while the diff
/// runs: at 100,000 files that is 2 ms of a pre-commit run whose second
/// core was idle. The main thread only checks that git proves the
/// working-tree copy unchanged (or inflates the blob, which needs libgit2).
///
/// A failure to lend it is kept, not thrown, until the baseline is asked
/// for: a change of no selected file never consults it, as before.
final class BaselinePrefetch: @unchecked Sendable {
    private let tree: SourceTree
    private let path: String
    private let file: Result<FileBytes?, Error>
    /// Written once by the background job; read only after `split.wait()`.
    /// nil bytes: the working-tree copy changed under the read.
    private var bytes: [UInt8]?
    private var lines: BaselineLines?
    private let split = DispatchGroup()

    /// `lend` lends the file of `tree` at `path` (`CommitTree.lend`).
    init(_ tree: SourceTree, path: String, lend: (String) throws -> FileBytes?) {
        self.tree = tree
        self.path = path
        file = Result { try lend(path) }
        guard case let .success(lent?) = file else { return }
        split.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            bytes = lent.read()
            lines = bytes?.withUnsafeBufferPointer { BaselineLines($0, file: path) }
            split.leave()
        }
    }

    /// Every entry, each line checked; nil when the side has no baseline.
    func whole(side: String) throws -> Baseline? {
        guard try file.get() != nil else { return nil }
        split.wait()
        guard let bytes else { return try BaselineFile.read(tree, path, side: side) }
        return try BaselineFile.checked(side: side) { try Baseline.parse(bytes, file: path) }
    }

    /// The entries of `paths`, as `Baseline.parse(_:file:paths:)` gives them.
    func entries(of paths: Set<String>, side: String) throws -> Baseline? {
        guard try file.get() != nil else { return nil }
        split.wait()
        guard let bytes, let lines else { return try BaselineFile.read(tree, path, side: side, paths: paths) }
        return try BaselineFile.checked(side: side) { try bytes.withUnsafeBufferPointer { try lines.entries(of: paths, in: $0) } }
    }
}
