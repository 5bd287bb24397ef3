/// Output written through a pointer: a long history's CSV is a hundred
/// thousand small writes, and an array's append checks its uniqueness and
/// capacity on each (callgrind: 7 of a warm trend's 40 million instructions
/// went to the CSV's numbers). Every write makes room for itself. It cannot
/// be copied, so its memory has one owner, freed once, by `deinit`.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes as text; the buffer is used up.
    consuming func finish() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    @inline(__always)
    private mutating func room(_ n: Int) {
        guard count + n > capacity else { return }
        let bigger = max(capacity * 2, count + n)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = bigger
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        room(1)
        base[count] = b
        count += 1
    }

    mutating func bytes(_ a: [UInt8]) {
        room(a.count)
        a.withUnsafeBufferPointer { (base + count).update(from: $0.baseAddress!, count: $0.count) }
        count += a.count
    }

    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { u in
            room(u.count)
            if let from = u.baseAddress { (base + count).update(from: from, count: u.count) }
            count += u.count
        }
    }

    /// `n` in decimal, as `String(n)` writes it.
    mutating func digits(_ n: Int) {
        room(21)
        if n < 0 {
            base[count] = 0x2D
            count += 1
        }
        var m = n.magnitude
        var width = 1
        var power: UInt = 1
        while power <= m / 10 {
            power *= 10
            width += 1
        }
        // Written backwards, lowest digit last.
        var k = count + width
        count = k
        repeat {
            k -= 1
            base[k] = 0x30 + UInt8(m % 10)
            m /= 10
        } while k > count - width
    }

    /// A non-negative percentage with two decimals, as `Figures.fixed(x, 2)` writes it.
    mutating func hundredths(_ x: Double) {
        guard x >= 0, x < 1e15 else { return text(Figures.fixed(x, 2)) }
        let n = Int((x * 100).rounded())
        digits(n / 100)
        room(3)
        base[count] = 0x2E
        base[count + 1] = 0x30 + UInt8(n % 100 / 10)
        base[count + 2] = 0x30 + UInt8(n % 10)
        count += 3
    }
}
