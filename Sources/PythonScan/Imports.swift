/// Import statements: `import`, `from … import`, and their PEP 810 `lazy`
/// forms (the parser strips `lazy`). Relative imports are made absolute here.
extension Parser {
    /// `a.b.c` from the names at `k`, `k + 2`, …, `e`.
    func dottedText(_ k: Int, _ e: Int) -> String {
        var s = text(k)
        var i = k + 2
        while i <= e {
            s += "."
            s += text(i)
            i += 2
        }
        return s
    }

    /// The end of a dotted name starting at `k`, within `hi`.
    func dottedEnd(_ k: Int, _ hi: Int) -> Int {
        var e = k
        while e + 2 < hi && kind(e + 1) == .dot && kind(e + 2) == .name { e += 2 }
        return e
    }

    /// `import a.b.c` binds `a` to `a`; `import a.b.c as x` binds `x` to `a.b.c`.
    func importStatement(_ lo: Int, _ hi: Int) {
        var k = lo
        while k < hi {
            guard kind(k) == .name else { k += 1; continue }
            let e = dottedEnd(k, hi)
            let module = dottedText(k, e)
            imports.append(ScannedImport(form: .importModule, module: module, offset: Int(t[k].start),
                                         underTypeChecking: typeChecking))
            if e + 2 < hi && kind(e + 1) == .kwAs && kind(e + 2) == .name {
                scopes.bindImport(cur, nameID(e + 2), target: module)
                k = e + 3
            } else {
                scopes.bindImport(cur, nameID(k), target: text(k))
                k = e + 1
            }
        }
    }

    /// `from [.]*M import n [as x], …`, `from M import (…)`, `from M import *`.
    func fromStatement(_ lo: Int, _ hi: Int) {
        var k = lo
        var level = 0
        while k < hi && (kind(k) == .dot || kind(k) == .ellipsis) {
            level += kind(k) == .dot ? 1 : 3
            k += 1
        }
        var moduleName = ""
        if k < hi && kind(k) == .name {
            let e = dottedEnd(k, hi)
            moduleName = dottedText(k, e)
            k = e + 1
        }
        guard k < hi, kind(k) == .kwImport else { return }
        k += 1
        let absolute = resolveRelative(level: level, moduleName)
        if k < hi && kind(k) == .star {
            if let absolute {
                // Only a module may star-import (CPython refuses it elsewhere).
                if cur == 0 { starModules.append(absolute) }
                imports.append(ScannedImport(form: .fromStar, module: absolute, offset: Int(t[k].start),
                                             underTypeChecking: typeChecking))
            }
            return
        }
        var end = hi
        if k < hi && kind(k) == .lparen {
            end = close(of: k, within: hi)
            k += 1
        }
        while k < end {
            guard kind(k) == .name else { k += 1; continue }
            let nameTok = k
            var bound = k
            if k + 2 < end && kind(k + 1) == .kwAs && kind(k + 2) == .name {
                bound = k + 2
                k += 3
            } else {
                k += 1
            }
            guard let absolute else {
                scopes.bindOther(cur, nameID(bound))
                continue
            }
            let name = text(nameTok)
            imports.append(ScannedImport(form: .fromImport, module: absolute, name: name,
                                         offset: Int(t[nameTok].start), underTypeChecking: typeChecking))
            scopes.bindImport(cur, nameID(bound), target: absolute + "." + name)
        }
    }

    /// The absolute module of `from <level dots><name> import …`, or nil when
    /// the file's package is unknown or the dots climb above the top package.
    func resolveRelative(level: Int, _ name: String) -> String? {
        if level == 0 { return name.isEmpty ? nil : name }
        guard let package = module.package else { return nil }
        return Parser.resolve(level: level, name, in: package)
    }

    /// `name` `level` dots up from `package` (importlib's _resolve_name), or
    /// nil when the dots climb above the top package.
    static func resolve(level: Int, _ name: String, in package: [String]) -> String? {
        let keep = package.count - (level - 1)
        guard keep >= 1 else { return nil }
        var parts = Array(package[0..<keep])
        if !name.isEmpty { parts.append(name) }
        return parts.joined(separator: ".")
    }
}
