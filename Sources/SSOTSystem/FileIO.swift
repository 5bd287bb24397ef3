#if canImport(Glibc)
import Glibc
#endif

/// The one write loop and the one read loop: a short write or read is
/// continued, and `EINTR` is retried, in every file ssot touches.
public enum FileIO {
    /// Writes every byte, or returns false with `errno` set.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var path: String
        public var code: Int32
        public var description: String { "\(path): \(String(cString: strerror(code)))" }
    }

    /// Reads `size` bytes from the start of an open file (fewer if it shrank
    /// meanwhile). Positional reads: threads may share the descriptor.
    public static func read(fd: Int32, path: String, size: Int) throws -> [UInt8] {
        var got = 0
        var failed: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while got < size {
                let n = pread(fd, buffer.baseAddress! + got, size - got, off_t(got))
                if n < 0 {
                    if errno == EINTR { continue }
                    failed = errno
                    break
                }
                if n == 0 { break }
                got += n
            }
            count = got
        }
        if failed != 0 { throw ReadError(path: path, code: failed) }
        return out
    }

    /// Everything until end of file (a hook's stdin), or nil with `errno` set.
    public static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return out }
            out += chunk[..<n]
        }
    }
}
