import PythonScan
import SSOTSystem

/// The object a name stands for, as far as the tree's own text proves it.
public enum Origin: Hashable, Sendable {
    /// Made by a statement of a module of the tree (`def`, `class`, an assignment).
    case definition(module: String, offset: Int)
    case module(String)
    /// An attribute of a module outside the tree: the same only as itself.
    case external(module: String, name: String)

    /// Where the object comes from, for the fix's summary.
    public var module: String {
        switch self {
        case let .definition(module, _), let .module(module), let .external(module, _): return module
        }
    }
}

public enum Resolution: Equatable, Sendable {
    case object(Origin)
    /// The module runs and does not bind the name: `from M import n` raises ImportError.
    case notBound
    /// What the text cannot decide, and why.
    case unknown(String)
}

/// What the tree holds under a module name.
public enum TreeModule: Sendable {
    case source(ModuleOutline)
    /// A folder without `__init__.py`: its attributes are its submodules.
    case namespace
    /// A module of the tree whose text ssot cannot read (a stub only, an unreadable file).
    case opaque(String)
    /// Not in the tree: a third-party or standard-library module.
    case absent
}

/// Follows names through the tree's modules to the definition they stand
/// for (SPEC 8): `from X import n as m` and `import X` chains, plain
/// aliases, `__init__.py` packages and submodules. Anything it cannot
/// decide is `unknown` with the reason, never a guess: a rewrite happens only
/// when both sides come to the same `Origin`.
///
/// Files are fixed on all cores and share one resolver: each public call
/// holds the lock for its whole walk (a walk's in-progress set is how it
/// sees a cycle, so walks may not interleave).
public final class StaticResolver: @unchecked Sendable {
    public typealias Lookup = (String) -> TreeModule

    private let lookup: Lookup
    private var modules: [String: TreeModule] = [:]
    private var memo: [Key: Resolution] = [:]
    private var inProgress: Set<Key> = []
    private let lock = Lock()
    private var loads: [String: [String: String]] = [:]
    /// `M.n = …` written from another module: M's text no longer says what n is.
    private var patched: [Key: String] = [:]
    /// Modules that load others by computed names at import time.
    private var computedLoaders: Set<String> = []
    private var computedLoaderOf: [String: String?] = [:]

    struct Key: Hashable {
        var module: String
        var name: String
    }

    public init(lookup: @escaping Lookup) { self.lookup = lookup }

    public func module(_ name: String) -> TreeModule { lock.withLock { moduleLocked(name) } }

    /// What `from module import name` binds.
    public func resolve(_ moduleName: String, _ name: String) -> Resolution {
        lock.withLock { resolveLocked(moduleName, name) }
    }

    private func moduleLocked(_ name: String) -> TreeModule {
        if let m = modules[name] { return m }
        let m = lookup(name)
        modules[name] = m
        return m
    }

    func isModule(_ name: String) -> Bool {
        if case .absent = moduleLocked(name) { return false }
        return true
    }

    /// Re-export hops followed before a name is called unknown: each hop is
    /// a few stack frames, and the fix runs on worker threads' small stacks.
    static let maxHops = 100

    private func resolveLocked(_ moduleName: String, _ name: String) -> Resolution {
        let key = Key(module: moduleName, name: name)
        if let r = memo[key] { return r }
        guard inProgress.count < StaticResolver.maxHops else {
            // Not memoized: the same name reached by a shorter walk may resolve.
            return .unknown("\(moduleName).\(name) is reached through more than \(StaticResolver.maxHops) re-exports")
        }
        guard inProgress.insert(key).inserted else {
            return .unknown("\(moduleName).\(name) is part of an import cycle")
        }
        let r = compute(moduleName, name)
        inProgress.remove(key)
        // A walk cut short by a cycle or the hop limit depends on where it started: only whole answers are kept.
        if !cutShort(r) { memo[key] = r }
        return r
    }

    private func cutShort(_ r: Resolution) -> Bool {
        guard case let .unknown(why) = r else { return false }
        return why.hasSuffix("is part of an import cycle") || why.contains("re-exports")
    }

    private func compute(_ moduleName: String, _ name: String) -> Resolution {
        let submodule = moduleName + "." + name
        switch moduleLocked(moduleName) {
        case .absent:
            return isModule(submodule) ? .object(.module(submodule)) : .object(.external(module: moduleName, name: name))
        case .namespace:
            return isModule(submodule) ? .object(.module(submodule)) : .notBound
        case let .opaque(why):
            return .unknown("\(moduleName) \(why)")
        case let .source(outline):
            if let why = outline.dynamic { return .unknown("\(moduleName): \(why)") }
            if let by = patched[Key(module: moduleName, name: name)] {
                return .unknown("\(moduleName).\(name) is assigned from \(by), so its text does not say what it holds")
            }
            if let value = outline.bindings[name] {
                if isModule(submodule) {
                    return .unknown("\(submodule) is both a name \(moduleName) binds and its submodule: importing the submodule anywhere replaces the name")
                }
                return evaluate(value, in: moduleName, name)
            }
            if isModule(submodule) { return .object(.module(submodule)) }
            if let why = outline.openNames { return .unknown("\(moduleName) does not bind \(name), and \(why)") }
            return .notBound
        }
    }

    private func evaluate(_ value: BoundValue, in moduleName: String, _ name: String) -> Resolution {
        switch value {
        case let .definition(offset):
            return .object(.definition(module: moduleName, offset: offset))
        case let .module(m):
            return .object(.module(m))
        case let .imported(from, imported):
            let r = resolveLocked(from, imported)
            if r == .notBound { return .unknown("\(moduleName) imports \(imported) from \(from), which does not bind it") }
            return r
        case let .attribute(base, attributes):
            var r = evaluate(base, in: moduleName, name)
            for a in attributes {
                guard case let .object(.module(m)) = r else {
                    if case .unknown = r { return r }
                    return .unknown("\(moduleName).\(name) is an attribute of an object, not of a module")
                }
                r = resolveLocked(m, a)
                if r == .notBound { return .unknown("\(moduleName).\(name) names \(m).\(a), which is not bound") }
            }
            return r
        case let .unknown(why):
            return .unknown("\(moduleName).\(name) is \(why)")
        }
    }

    /// The name under which `moduleName` binds `origin`: `preferred` when it
    /// does, else the public name the object was defined under, else the
    /// first other public name in byte order.
    public func name(in moduleName: String, binding origin: Origin, preferring preferred: String) -> String? {
        lock.withLock { nameLocked(in: moduleName, binding: origin, preferring: preferred) }
    }

    private func nameLocked(in moduleName: String, binding origin: Origin, preferring preferred: String) -> String? {
        guard case let .source(outline) = moduleLocked(moduleName), outline.dynamic == nil else { return nil }
        if resolveLocked(moduleName, preferred) == .object(origin) { return preferred }
        if let own = definedName(origin), !own.hasPrefix("_"), resolveLocked(moduleName, own) == .object(origin) { return own }
        // A private name is not an export: `from canonical import _Isolated as X` would trade one lint for another.
        let names = outline.bindings.keys.filter { !$0.hasPrefix("_") }.sorted(by: Bytewise.less)
        return names.first { resolveLocked(moduleName, $0) == .object(origin) }
    }

    /// The modules of the tree that importing `moduleName` loads (itself,
    /// its packages, what their module level imports, and so on), each with
    /// the module that imports it: a file among them that imported from
    /// `moduleName` would close a cycle.
    public func loaded(by moduleName: String) -> [String: String] {
        lock.withLock {
            if let l = loads[moduleName] { return l }
            var seen: [String: String] = [:]
            var queue: [(String, String)] = [(moduleName, moduleName)]
            while let (m, by) = queue.popLast() {
                // Importing a.b.c runs a and a.b first.
                var parts = m.split(separator: ".").map(String.init)
                var chain: [String] = []
                while !parts.isEmpty { chain.append(parts.joined(separator: ".")); parts.removeLast() }
                for name in chain where seen[name] == nil {
                    guard case let .source(outline) = moduleLocked(name) else { continue }
                    seen[name] = by
                    if outline.loadsUnknown { computedLoaders.insert(name) }
                    for next in outline.loadImports where seen[next] == nil { queue.append((next, name)) }
                }
            }
            loads[moduleName] = seen
            return seen
        }
    }

    /// Reads every module that importing `modules` loads, and notes each
    /// attribute they assign on another module of the tree (`legacy.X = Y`,
    /// `_m.Manager = Patched`), before anything is resolved: such a name is
    /// unknown, wherever the walk that reaches it starts.
    public func prime(_ modules: [String]) {
        var all: [String: String] = [:]
        for m in modules { all.merge(loaded(by: m)) { a, _ in a } }
        lock.withLock {
            for name in all.keys.sorted() {
                guard case let .source(outline) = moduleLocked(name) else { continue }
                for write in outline.attributeWrites {
                    guard let base = write.base, let last = write.attributes.last else { continue }
                    var r = evaluate(base, in: name, write.head)
                    for a in write.attributes.dropLast() {
                        guard case let .object(.module(m)) = r else { break }
                        r = resolveLocked(m, a)
                    }
                    if case let .object(.module(target)) = r { patched[Key(module: target, name: last)] = name }
                }
            }
            memo.removeAll()
        }
    }

    /// A module `moduleName` loads that imports others by computed names, if any.
    public func computedLoader(in moduleName: String) -> String? {
        let loaded = self.loaded(by: moduleName)
        return lock.withLock {
            // Asked once per finding: sorted once per module.
            if let known = computedLoaderOf[moduleName] { return known }
            let found = loaded.keys.sorted().first { computedLoaders.contains($0) }
            computedLoaderOf[moduleName] = found
            return found
        }
    }

    /// A private name under which `moduleName` binds `origin`, for the summary's advice.
    public func privateName(in moduleName: String, binding origin: Origin) -> String? {
        lock.withLock {
            guard case let .source(outline) = moduleLocked(moduleName), outline.dynamic == nil else { return nil }
            return outline.bindings.keys.filter { $0.hasPrefix("_") }.sorted(by: Bytewise.less)
                .first { resolveLocked(moduleName, $0) == .object(origin) }
        }
    }

    /// The name a `def` or `class` gave the object, in the module that made it.
    func definedName(_ origin: Origin) -> String? {
        guard case let .definition(m, offset) = origin, case let .source(outline) = moduleLocked(m) else { return nil }
        return outline.definedNames[offset]
    }
}
