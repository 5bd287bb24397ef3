/// A small open-addressing map from Int64 keys to Int32 values, with a
/// multiplicative hash. The scopes look names up by (scope, name) pairs many
/// times per file; Swift's Dictionary hashes an Int64 with SipHash, which the
/// profiles showed.
struct IntMap {
    private var keys: [Int64]
    private var values: [Int32]
    private var used: [Bool]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
        mask = size - 1
    }

    @inline(__always) private func slot(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    subscript(key: Int64) -> Int32? {
        get {
            var i = slot(key)
            while used[i] {
                if keys[i] == key { return values[i] }
                i = (i + 1) & mask
            }
            return nil
        }
        set {
            guard let newValue else { return }  // removal is never needed here
            var i = slot(key)
            while used[i] {
                if keys[i] == key { values[i] = newValue; return }
                i = (i + 1) & mask
            }
            used[i] = true
            keys[i] = key
            values[i] = newValue
            count += 1
            if count * 2 > used.count { grow() }
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldUsed = used
        let size = used.count * 2
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: 0, count: size)
        used = Array(repeating: false, count: size)
        mask = size - 1
        count = 0
        for i in oldUsed.indices where oldUsed[i] { self[oldKeys[i]] = oldValues[i] }
    }
}

/// A set of small non-negative integers (name ids), as flags.
struct IDSet {
    private var flags: [Bool] = []
    private(set) var isEmpty = true

    @inline(__always) func contains(_ id: Int32) -> Bool {
        Int(id) < flags.count && flags[Int(id)]
    }

    mutating func insert(_ id: Int32) {
        if Int(id) >= flags.count { flags += Array(repeating: false, count: Int(id) + 1 - flags.count + 64) }
        flags[Int(id)] = true
        isEmpty = false
    }
}
