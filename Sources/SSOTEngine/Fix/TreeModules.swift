import PythonScan
import SSOTCore

/// The tree's modules by dotted name, for the static resolver: each `.py`
/// file under a source root (`a/b/__init__.py` is `a.b`), the folders
/// between them as namespace packages, outlines read on first use.
final class TreeModules {
    /// A file's bytes, or nil when it cannot be read as a regular file within max-file-size.
    let read: (String) -> [UInt8]?
    let config: Config
    private var paths: [String: String] = [:]
    private var stubs: Set<String> = []
    private var namespaces: Set<String> = []

    init(config: Config, files: [String], read: @escaping (String) -> [UInt8]?) {
        self.read = read
        self.config = config
        for path in files {
            guard let (name, _) = ModuleName.of(path: path, sourceRoots: config.sourceRoots), !name.isEmpty else { continue }
            if path.hasSuffix(".pyi") {
                stubs.insert(name)
            } else {
                paths[name] = path
            }
            // Every folder above it, longest first, until one is already known (so are those above it).
            var prefix = Substring(name)
            while let dot = prefix.lastIndex(of: ".") {
                prefix = prefix[..<dot]
                guard namespaces.insert(String(prefix)).inserted else { break }
            }
        }
    }

    func lookup(_ module: String) -> TreeModule {
        guard let path = paths[module] else {
            if stubs.contains(module) { return .opaque("has only a stub (.pyi) in the tree") }
            return namespaces.contains(module) ? .namespace : .absent
        }
        guard let bytes = read(path) else {
            return .opaque("(\(path)) cannot be read, or is over max-file-size")
        }
        var source = bytes
        switch bytes.withUnsafeBufferPointer({ SourceEncoding.declared($0) }) {
        case .utf8: break
        case .latin1: source = bytes.withUnsafeBufferPointer { SourceEncoding.latin1ToUTF8($0) }
        case .other: return .opaque("(\(path)) is in an encoding ssot does not read")
        }
        // What the resolver reads of a module: its bindings, loads and writes, never its strings or function scopes.
        return .source(ModuleOutline.of(source, module: ModuleName.context(path: path, sourceRoots: config.sourceRoots),
                                        dottedStrings: false, functionScopes: false))
    }
}
