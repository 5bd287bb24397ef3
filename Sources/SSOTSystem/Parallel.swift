import Dispatch

/// The one parallel map: results land in their own slot, so no lock is
/// taken per item, and a few items are done on the calling thread, where
/// starting workers would cost more than the work.
public enum Parallel {
    /// `body(i)` for every index, in index order.
    public static func map<T>(_ count: Int, inlineBelow: Int = 16, _ body: (Int) -> T) -> [T] {
        fill(count) { slots in
            if count < inlineBelow {
                for i in 0..<count { slots[i] = body(i) }
            } else {
                DispatchQueue.concurrentPerform(iterations: count) { slots[$0] = body($0) }
            }
        }
    }

    /// `body(worker, i)` with the indices striped over `workers` threads:
    /// each worker uses a resource of its own (a repository handle).
    public static func stripedMap<T>(_ count: Int, workers: Int, _ body: (Int, Int) -> T) -> [T] {
        fill(count) { slots in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in stride(from: w, to: count, by: workers) { slots[i] = body(w, i) }
            }
        }
    }

    private static func fill<T>(_ count: Int, _ work: (UnsafeMutablePointer<T?>) -> Void) -> [T] {
        var slots = [T?](repeating: nil, count: count)
        slots.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { work(base) }
        }
        return slots.map { $0! }
    }
}
