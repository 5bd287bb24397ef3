import Dispatch
import SSOTCore

/// Checks many files on all cores. Each file is read and scanned by one
/// worker; results land in their own slot, so no lock is taken per file.
enum ParallelScan {
    static func run(_ paths: [String], checker: FileChecker,
                    read: @escaping (String) throws -> FileRead) -> [FileReport] {
        var reports = [FileReport?](repeating: nil, count: paths.count)
        let work = { (i: Int) -> FileReport in
            var report = FileReport(path: paths[i])
            do {
                switch try read(paths[i]) {
                case let .bytes(bytes):
                    report = bytes.withUnsafeBufferPointer { checker.check(path: paths[i], bytes: $0) }
                case let .skipped(why):
                    report.scanned = false
                    report.messages.append(FileMessage(.note, path: paths[i], why))
                }
            } catch {
                report.scanned = false
                report.messages.append(FileMessage(.warning, path: paths[i], "cannot read it: \(error)"))
            }
            return report
        }
        if paths.count < 16 {
            for i in paths.indices { reports[i] = work(i) }
        } else {
            reports.withUnsafeMutableBufferPointer { slots in
                let base = slots.baseAddress!
                DispatchQueue.concurrentPerform(iterations: paths.count) { i in
                    base[i] = work(i)
                }
            }
        }
        return reports.map { $0! }
    }
}
