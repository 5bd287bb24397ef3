import PythonScan

/// A file's module name, from its path under the longest matching source
/// root (SPEC section 2): `src/a/b/__init__.py` under root `src` is package `a.b`.
public enum ModuleName {
    public static func of(path: String, sourceRoots: [String]) -> (name: String, isPackage: Bool)? {
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
        let m = module.utf8, b = banned.utf8
        if b.count <= m.count { return module.isUnder(banned) }
        // `banned` reaches past the module: it must be module, a dot, then the name (and below it).
        guard b.starts(with: m), b[b.index(b.startIndex, offsetBy: m.count)] == UInt8(ascii: ".") else { return false }
        let rest = banned.utf8[b.index(b.startIndex, offsetBy: m.count + 1)...]
        let n = name.utf8
        guard n.starts(with: rest) else { return false }
        return n.count == rest.count || n[n.index(n.startIndex, offsetBy: rest.count)] == UInt8(ascii: ".")
    }

    /// `a.b.c` is under `a.b` and under itself; `a.bc` is not under `a.b`.
    func isUnder(_ banned: String) -> Bool {
        // Bytes: `hasPrefix` compares by canonical equivalence, and the index below counts bytes.
        guard utf8.starts(with: banned.utf8) else { return false }
        return utf8.count == banned.utf8.count
            || utf8[utf8.index(utf8.startIndex, offsetBy: banned.utf8.count)] == UInt8(ascii: ".")
    }
}
