import CSupport

/// A file can only produce a finding if it spells the last part of some
/// banned name as a whole word: `from a import b`, `x.b()`, `"a.b"` all do.
/// Checking that with memmem first lets a whole-tree scan skip the lexer for
/// most files, which is where ssot's speed on a big tree comes from.
struct Prefilter: Sendable {
    let needles: [[UInt8]]

    init(needles: [String]) {
        self.needles = needles.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    func mightMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
        for needle in needles where contains(word: needle, in: base, count: bytes.count) { return true }
        return false
    }

    private func contains(word needle: [UInt8], in base: UnsafePointer<UInt8>, count: Int) -> Bool {
        needle.withUnsafeBufferPointer { n in
            var start = 0
            while start < count {
                guard let hit = ssot_memmem(base + start, count - start, n.baseAddress!, n.count) else { return false }
                let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                let end = at + n.count
                let before = at > 0 ? base[at - 1] : 0x20
                let after = end < count ? base[end] : 0x20
                if !Prefilter.isNameByte(before) && !Prefilter.isNameByte(after) { return true }
                start = at + 1
            }
            return false
        }
    }

    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F || c >= 0x80
    }
}
