/// Python's scopes as SPEC section 2 defines them, and the resolution of a
/// name to an import binding.
///
/// The parser records facts as it meets them (a scope opened, a name bound, a
/// `global` declared, a name referenced); resolution waits for the end of the
/// file, because a binding later in a function still makes the name local.
struct Scopes {
    enum Kind: UInt8 { case module, function, classBody, comprehension, annotation }

    enum Resolution: Equatable {
        case unbound
        case other
        case imported(String)
    }

    struct Scope {
        var parent: Int32
        var kind: Kind
    }

    /// `target` indexes `targets` for an import binding; -1 is any other binding.
    struct BindEvent {
        var scope: Int32
        var name: Int32
        var target: Int32
    }

    struct Declaration {
        var scope: Int32
        var name: Int32
        var isGlobal: Bool
    }

    private(set) var scopes: [Scope] = [Scope(parent: -1, kind: .module)]
    private var events: [BindEvent] = []
    private var declarations: [Declaration] = []
    private var targets: [String] = []

    private var declared = IntMap()   // 1 global, 0 nonlocal
    private var bindings = IntMap()   // -1 other, else target index
    /// Names bound by an import anywhere in the file: only these can resolve to one.
    private(set) var importedNames = IDSet()

    @inline(__always) private static func key(_ scope: Int32, _ name: Int32) -> Int64 {
        Int64(scope) << 32 | Int64(UInt32(bitPattern: name))
    }

    mutating func open(_ kind: Kind, parent: Int32) -> Int32 {
        scopes.append(Scope(parent: parent, kind: kind))
        return Int32(scopes.count - 1)
    }

    mutating func reparent(from start: Int, _ old: Int32, to new: Int32) {
        var k = start
        while k < scopes.count {
            if scopes[k].parent == old && Int32(k) != new { scopes[k].parent = new }
            k += 1
        }
    }

    var count: Int { scopes.count }

    func kind(_ scope: Int32) -> Kind { scopes[Int(scope)].kind }

    /// The scope a walrus binds in: the nearest one that is not a comprehension.
    func walrusScope(_ scope: Int32) -> Int32 {
        var s = scope
        while scopes[Int(s)].kind == .comprehension && scopes[Int(s)].parent >= 0 { s = scopes[Int(s)].parent }
        return s
    }

    mutating func bindOther(_ scope: Int32, _ name: Int32) {
        events.append(BindEvent(scope: scope, name: name, target: -1))
    }

    mutating func bindImport(_ scope: Int32, _ name: Int32, target: String) {
        targets.append(target)
        events.append(BindEvent(scope: scope, name: name, target: Int32(targets.count - 1)))
        importedNames.insert(name)
    }

    mutating func declare(_ scope: Int32, _ name: Int32, global: Bool) {
        declarations.append(Declaration(scope: scope, name: name, isGlobal: global))
    }

    /// Settles every binding of the names in `interesting` into the scope it
    /// really binds in (`global` and `nonlocal` move it), merging imports of
    /// the same target and letting any other binding win.
    mutating func settle(_ interesting: IDSet) {
        for d in declarations where interesting.contains(d.name) {
            declared[Scopes.key(d.scope, d.name)] = d.isGlobal ? 1 : 0
        }
        var raw = IntMap()
        for e in events where interesting.contains(e.name) { raw[Scopes.key(e.scope, e.name)] = 1 }
        for e in events where interesting.contains(e.name) {
            var s = e.scope
            if let isGlobal = declared[Scopes.key(s, e.name)] {
                if isGlobal == 1 {
                    s = 0
                } else if let t = nonlocalTarget(s, e.name, raw) {
                    s = t
                } else {
                    continue
                }
            }
            let k = Scopes.key(s, e.name)
            if let old = bindings[k] {
                if old >= 0 && e.target >= 0 && targets[Int(old)] == targets[Int(e.target)] { continue }
                bindings[k] = -1
            } else {
                bindings[k] = e.target
            }
        }
    }

    private func nonlocalTarget(_ scope: Int32, _ name: Int32, _ raw: IntMap) -> Int32? {
        var s = scopes[Int(scope)].parent
        while s > 0 {
            let kind = scopes[Int(s)].kind
            if kind != .classBody && raw[Scopes.key(s, name)] != nil && declared[Scopes.key(s, name)] == nil {
                return s
            }
            s = scopes[Int(s)].parent
        }
        return nil
    }

    /// Looks `name` up from `scope`: that scope, then the enclosing function
    /// scopes (class bodies are invisible from inside), then the module.
    func resolve(_ name: Int32, from scope: Int32) -> Resolution {
        var s = scope
        var first = true
        while s >= 0 {
            if first || scopes[Int(s)].kind != .classBody {
                let k = Scopes.key(s, name)
                if let isGlobal = declared[k] {
                    if isGlobal == 1 { return lookup(Scopes.key(0, name)) }
                } else if bindings[k] != nil {
                    return lookup(k)
                }
            }
            first = false
            s = scopes[Int(s)].parent
        }
        return .unbound
    }

    private func lookup(_ k: Int64) -> Resolution {
        guard let t = bindings[k] else { return .unbound }
        return t >= 0 ? .imported(targets[Int(t)]) : .other
    }
}
