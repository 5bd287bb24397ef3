import GitStore
import SSOTCore

/// Whether ssot is adopted anywhere in the receiving repository: asked only
/// when a new branch's rules cannot be found, to tell "not adopted" (pass)
/// from "adopted, but the default branch is missing" (refuse), and when a
/// push deletes a branch that holds the config. The gated refs that hold a
/// config are listed once a push, however many refs it deletes.
struct Adoption {
    let repo: Repository
    let settings: ServerSettings
    let override: Config?
    private var adoptedRefs: Set<String>?

    init(repo: Repository, settings: ServerSettings, override: Config?) {
        self.repo = repo
        self.settings = settings
        self.override = override
    }

    /// Every gated ref whose tip has a config (one that does not parse counts: fail closed).
    mutating func refsWithConfig() throws -> Set<String> {
        if let adoptedRefs { return adoptedRefs }
        var found = Set<String>()
        for name in try repo.referenceNames() where settings.gates(name) && hasConfig(name) {
            found.insert(name)
        }
        adoptedRefs = found
        return found
    }

    /// Whether deleting `update.ref` leaves no gated branch with a config
    /// (the refs this push deletes do not count).
    mutating func isLastAdopted(_ update: RefUpdate, deleted: Set<String>) throws -> Bool {
        guard try refsWithConfig().contains(update.ref) else { return false }
        return try refsWithConfig().subtracting(deleted).isEmpty
    }

    /// Whether the commit a revision names has an ssot config (one that does not parse counts).
    func hasConfig(_ revision: String) -> Bool {
        guard let tip = try? repo.commit(revision), let tree = try? repo.tree(ofCommit: tip) else { return false }
        do {
            return try ConfigLoader.load(from: CommitTree(repository: repo, tree: tree)) != nil
        } catch {
            return true
        }
    }

    mutating func adopted() throws -> Bool {
        if override != nil { return true }
        return !(try refsWithConfig()).isEmpty
    }
}
