/// A day of the Gregorian calendar (`goal-date`, commit dates), as a count
/// of days, so that two days subtract; no Foundation, no time zones: a
/// commit's day is its author's, as git shows it.
public struct CalendarDay: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let days: Int

    public init(days: Int) { self.days = days }

    /// `YYYY-MM-DD`, a real date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CalendarDay.length(of: m, in: y) else { return nil }
        days = CalendarDay.daysFromCivil(y, m, d)
    }

    /// The day of a Unix time, in the time zone `offsetMinutes` east of UTC.
    /// A commit's time is whatever its author wrote, fsck-clean up to
    /// Int64's limits: both are clamped (to some 35 million years and 70
    /// days) before they are added, so no commit can overflow the sum.
    public init(unixTime: Int64, offsetMinutes: Int = 0) {
        let bound: Int64 = 1 << 50
        let seconds = min(max(unixTime, -bound), bound) + Int64(min(max(offsetMinutes, -100_000), 100_000)) * 60
        days = Int((seconds >= 0 ? seconds : seconds - 86_399) / 86_400)
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.days < b.days }

    public var description: String {
        let (y, m, d) = CalendarDay.civil(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func length(of month: Int, in year: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Howard Hinnant's days_from_civil.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
