import CSupport

/// A file can only produce a finding if it spells the last part of some
/// banned name as a whole word: `from a import b`, `x.b()`, `"a.b"` all do.
/// Checking that with memmem first lets a whole-tree scan skip the lexer for
/// most files, which is where ssot's speed on a big tree comes from.
///
/// The search itself is in C (`ssot_contains_any_word`, prefilter.c): one
/// SIMD pass for all needles, where one memmem pass per needle was a tenth
/// of a whole-tree scan.
struct Prefilter: Sendable {
    let needles: [[UInt8]]
    private let words: Words

    init(needles: [String]) {
        self.needles = needles.map { Array($0.utf8) }.filter { !$0.isEmpty }
        words = Words(self.needles)
    }

    func mightMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, !bytes.isEmpty, !needles.isEmpty else { return false }
        return ssot_contains_any_word(base, bytes.count, words.pointers, words.lengths, needles.count) != 0
    }

    /// The needles laid out once for C: pointers and lengths that live as
    /// long as the prefilter and are never written after `init`.
    final class Words: @unchecked Sendable {
        let pointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>
        let lengths: UnsafeMutablePointer<Int>
        private let storage: UnsafeMutablePointer<UInt8>
        private let count: Int

        init(_ needles: [[UInt8]]) {
            count = needles.count
            let total = needles.reduce(0) { $0 + $1.count }
            storage = .allocate(capacity: max(total, 1))
            pointers = .allocate(capacity: max(count, 1))
            lengths = .allocate(capacity: max(count, 1))
            var at = 0
            for (i, needle) in needles.enumerated() {
                (storage + at).initialize(from: needle, count: needle.count)
                pointers[i] = UnsafePointer(storage + at)
                lengths[i] = needle.count
                at += needle.count
            }
        }

        deinit {
            storage.deallocate()
            pointers.deallocate()
            lengths.deallocate()
        }
    }
}
