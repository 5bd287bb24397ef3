import PythonScan

/// A file's module name, from its path under the longest matching source
/// root (SPEC section 2): `src/a/b/__init__.py` under root `src` is package `a.b`.
public enum ModuleName {
    public static func of(path: String, sourceRoots: [String]) -> (name: String, isPackage: Bool)? {
        var path = path
        // Every tracked file's name is asked for (the fix's resolver lists the
        // tree): an ASCII path is read as bytes, without splitting it into strings.
        if let fast = path.withUTF8({ ascii($0, sourceRoots) }) { return fast.name.map { ($0, fast.isPackage) } }
        return unicode(path: path, sourceRoots: sourceRoots)
    }

    /// nil when the path is not all ASCII; else the name (nil under no root).
    static func ascii(_ p: UnsafeBufferPointer<UInt8>, _ sourceRoots: [String]) -> (name: String?, isPackage: Bool)? {
        guard !p.contains(where: { $0 >= 0x80 }) else { return nil }
        var skip = -1
        for root in sourceRoots {
            let r = root.utf8
            if r.isEmpty {
                skip = max(skip, 0)
            } else if p.count > r.count, p[r.count] == UInt8(ascii: "/"), p.prefix(r.count).elementsEqual(r) {
                skip = max(skip, r.count + 1)
            }
        }
        guard skip >= 0 else { return (nil, false) }
        var end = p.count
        func endsWith(_ suffix: StaticString) -> Bool {
            let n = suffix.utf8CodeUnitCount
            return end - skip >= n && suffix.withUTF8Buffer { p[(end - n)..<end].elementsEqual($0) }
        }
        if endsWith(".pyi") {
            end -= 4
        } else if endsWith(".py") {
            end -= 3
        }
        // The components between slashes, empty ones left out, joined by dots; a last `__init__` is the package.
        var components: [Range<Int>] = []
        var start = skip
        for k in skip...end where k == end || p[k] == UInt8(ascii: "/") {
            if k > start { components.append(start..<k) }
            start = k + 1
        }
        var isPackage = false
        if let last = components.last, p[last].elementsEqual("__init__".utf8) {
            components.removeLast()
            isPackage = true
        }
        var out: [UInt8] = []
        out.reserveCapacity(end - skip)
        for (i, c) in components.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ".")) }
            out += p[c]
        }
        return (String(decoding: out, as: UTF8.self), isPackage)
    }

    static func unicode(path: String, sourceRoots: [String]) -> (name: String, isPackage: Bool)? {
        var best: String?
        for root in sourceRoots {
            // Bytes, not Characters: a root and a path are compared as the file system names them.
            if root.isEmpty || Bytewise.hasPrefix(path, Array((root + "/").utf8)) {
                if best == nil || root.utf8.count > best!.utf8.count { best = root }
            }
        }
        guard let root = best else { return nil }
        var rel = root.isEmpty ? path : String(decoding: path.utf8.dropFirst(root.utf8.count + 1), as: UTF8.self)
        for ext in [".pyi", ".py"] where rel.hasSuffix(ext) {
            rel.removeLast(ext.count)
            break
        }
        var parts = rel.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var isPackage = false
        if parts.last == "__init__" {
            parts.removeLast()
            isPackage = true
        }
        return (parts.joined(separator: "."), isPackage)
    }

    public static func context(path: String, sourceRoots: [String]) -> ModuleContext {
        guard let (name, isPackage) = of(path: path, sourceRoots: sourceRoots) else { return .unknown }
        if name.isEmpty { return ModuleContext(package: isPackage ? [] : nil) }
        return ModuleContext(moduleName: name, isPackage: isPackage)
    }
}

extension String {
    /// Whether `module + "." + name` is under `banned`, without building it:
    /// checked for every from-import against every banned name of a tree.
    static func isUnder(module: String, name: String, _ banned: String) -> Bool {
        var module = module, name = name, banned = banned
        return module.withUTF8 { m in
            banned.withUTF8 { b in
                if b.count <= m.count { return Bytewise.isUnder(m, b) }
                // `banned` reaches past the module: it must be module, a dot, then the name (and below it).
                guard Bytewise.equal(m, UnsafeBufferPointer(rebasing: b[..<m.count])), b[m.count] == UInt8(ascii: ".") else {
                    return false
                }
                return name.withUTF8 { n in Bytewise.isUnder(n, UnsafeBufferPointer(rebasing: b[(m.count + 1)...])) }
            }
        }
    }

    /// `a.b.c` is under `a.b` and under itself; `a.bc` is not under `a.b`.
    func isUnder(_ banned: String) -> Bool {
        // Bytes: `hasPrefix` compares by canonical equivalence, and the index below counts bytes.
        var s = self, banned = banned
        return s.withUTF8 { m in banned.withUTF8 { b in Bytewise.isUnder(m, b) } }
    }
}
