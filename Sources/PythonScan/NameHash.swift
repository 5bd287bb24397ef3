/// The hash of a name's bytes, for the scanner's tables. Keyed per process
/// (Swift's Hasher: SipHash with a random seed), because the file chooses
/// its names: with the unkeyed FNV-1a once used here, 16,384 names built
/// from colliding blocks shared one hash, and a 934 KB file took 24 s of
/// probing (the third hostile review of issue 11).
enum NameHash {
    @inline(__always)
    static func of(_ src: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        var h = Hasher()
        h.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: src[start..<end])))
        return UInt64(UInt(bitPattern: h.finalize()))
    }

    static func of(_ text: String) -> UInt64 {
        var h = Hasher()
        var t = text
        t.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        return UInt64(UInt(bitPattern: h.finalize()))
    }
}
