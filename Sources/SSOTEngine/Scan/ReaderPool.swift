import GitStore
#if canImport(Glibc)
import Glibc
#endif

/// One repository handle per core, opened at most once a run (about half
/// a millisecond each): a big change's tree diff and then its scan both
/// share their work among them.
public final class ReaderPool {
    public let repository: Repository
    private var opened: [Repository]?

    public init(_ repository: Repository) { self.repository = repository }

    /// Every core's handle, the pool's own first.
    public func all() -> [Repository] {
        if let opened { return opened }
        let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let handles = [repository] + (1..<cores).compactMap { _ in try? repository.sibling() }
        opened = handles
        return handles
    }

    /// The handles to read `files` blobs with: those already open; else one
    /// per core for many files, and for a few, the pool's own.
    public func handles(for files: Int) -> [Repository] {
        opened ?? (files >= 64 ? all() : [repository])
    }
}
