/// Interns identifier byte slices of one source buffer as small integers, so
/// scopes compare names as numbers and never build a `String` for a name that
/// no import binds.
struct NameTable {
    private var slots: [Int32]          // index into `entries`, or -1
    private var entries: [(start: Int32, length: Int32, hash: UInt32)] = []
    private var mask: Int
    private let b: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>, capacity: Int = 256) {
        var size = 64
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        b = bytes
    }

    var count: Int { entries.count }

    mutating func intern(_ start: Int, _ end: Int) -> Int32 {
        let h = UInt32(truncatingIfNeeded: NameHash.of(b, start, end))
        let length = end - start
        var slot = Int(h) & mask
        while true {
            let e = slots[slot]
            if e < 0 { break }
            let entry = entries[Int(e)]
            if entry.hash == h && Int(entry.length) == length && equal(Int(entry.start), start, length) {
                return e
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(entries.count)
        entries.append((Int32(start), Int32(length), h))
        slots[slot] = id
        if entries.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of a name spelled by `text`, if the file uses it at all.
    func lookup(_ text: String) -> Int32? {
        let h = UInt32(truncatingIfNeeded: NameHash.of(text))
        let bytes = Array(text.utf8)
        var slot = Int(h) & mask
        while slots[slot] >= 0 {
            let e = slots[slot]
            let entry = entries[Int(e)]
            if entry.hash == h && Int(entry.length) == bytes.count
                && (0..<bytes.count).allSatisfy({ b[Int(entry.start) + $0] == bytes[$0] }) {
                return e
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private func equal(_ a: Int, _ c: Int, _ length: Int) -> Bool {
        for k in 0..<length where b[a + k] != b[c + k] { return false }
        return true
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (id, entry) in entries.enumerated() {
            var slot = Int(entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }
}
