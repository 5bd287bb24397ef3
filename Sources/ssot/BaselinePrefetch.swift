import Dispatch
import SSOTCore

/// The parent's baseline, lent as soon as the config names it and split
/// into lines (`BaselineLines`) on another core while the diff runs: at
/// 100,000 files the splitting is 2 ms of a pre-commit run whose second
/// core was idle. The working-tree copy is mapped, not copied, so the main
/// thread only checks that git proves it unchanged.
///
/// A failure to read it is kept, not thrown, until the baseline is asked
/// for: a change of no selected file never consults it, as before.
final class BaselinePrefetch: @unchecked Sendable {
    private let tree: CommitTree
    private let path: String
    private let file: Result<FileBytes?, Error>
    /// Written once by the background job; read only after `split.wait()`.
    private var lines: BaselineLines?
    private let split = DispatchGroup()

    init(_ tree: CommitTree, path: String) {
        self.tree = tree
        self.path = path
        file = Result { try tree.lend(at: path) }
        guard case let .success(bytes?) = file else { return }
        split.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            lines = bytes.withBytes { BaselineLines($0, file: path) }
            split.leave()
        }
    }

    /// Every entry, each line checked; nil when the side has no baseline.
    func whole(side: String) throws -> Baseline? {
        guard let bytes = try file.get() else { return nil }
        let baseline = try BaselineFile.checked(side: side) { try bytes.withBytes { try Baseline.parse($0, file: path) } }
        // The working-tree copy changed while it was read: read it as a blob.
        return bytes.isUnchanged ? baseline : try BaselineFile.read(tree, path, side: side)
    }

    /// The entries of `paths`, as `Baseline.parse(_:file:paths:)` gives them.
    func entries(of paths: Set<String>, side: String) throws -> Baseline? {
        guard let bytes = try file.get() else { return nil }
        split.wait()
        let baseline = try BaselineFile.checked(side: side) { try bytes.withBytes { try lines!.entries(of: paths, in: $0) } }
        return bytes.isUnchanged ? baseline : try BaselineFile.read(tree, path, side: side, paths: paths)
    }
}
