import SSOTCore

/// `ssot trend --svg`: one self-contained picture (SPEC 10). No script, no
/// external font, link or style sheet; a line per rule of the files with
/// findings over dated axes, a marker where the baseline was tightened, and
/// the goal with a straight-line estimate of when it is reached. A long
/// history is thinned to at most `maxPoints` per line (the tightenings and
/// the ends always kept), so the file stays far under 100 KB.
public enum TrendSVG {
    static let width = 960.0, height = 480.0
    static let left = 70.0, right = 30.0, top = 64.0, bottom = 60.0
    static let maxPoints = 800
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    public static func render(_ t: Trend) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        guard let first = t.points.first, let last = t.points.last else {
            return out + text(left, top, "No commits to measure", size: 14) + "</svg>\n"
        }
        // The time axis runs to the goal's date or the estimate when they are ahead (at most three spans on).
        let t0 = Double(first.day.days)
        var t1 = Double(last.day.days)
        let span = max(1, t1 - t0)
        var yMax = 1
        for r in t.rules {
            for p in t.points { if let c = p.rules[r.id] { yMax = max(yMax, c.files) } }
            if let g = r.goalFiles { yMax = max(yMax, g) }
            for d in [r.goalDate, t.estimate(r)].compactMap({ $0 }) where Double(d.days) > t1 && Double(d.days) <= t1 + 3 * span {
                t1 = Double(d.days)
            }
        }
        if t1 <= t0 { t1 = t0 + 1 }
        let step = niceStep(Double(yMax) / 5)
        let yTop = (Double(yMax) / step).rounded(.up) * step
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ day: Double) -> Double { left + (day - t0) / (t1 - t0) * plotW }
        func y(_ v: Double) -> Double { top + plotH - v / yTop * plotH }

        out += text(left, 26, "Files with findings, \(first.day) to \(last.day) (\(t.points.count) commits)", size: 15, weight: "bold")
        if let s = t.shallowAt {
            out += text(width - right, 24, "shallow clone: history starts at \(s.prefix(12))", anchor: "end", size: 11, fill: "#666666")
        }
        // Axes and grid.
        var v = 0.0
        while v <= yTop + 0.5 {
            out += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(v)))\" stroke=\"#e5e5e5\"/>\n"
            out += text(left - 8, y(v) + 4, "\(Int(v))", anchor: "end", fill: "#444444")
            v += step
        }
        let ticks = 7
        for i in 0...ticks {
            let d = t0 + (t1 - t0) * Double(i) / Double(ticks)
            out += "<line x1=\"\(f(x(d)))\" y1=\"\(f(top + plotH))\" x2=\"\(f(x(d)))\" y2=\"\(f(top + plotH + 5))\" stroke=\"#444444\"/>\n"
            out += text(x(d), top + plotH + 20, CalendarDay(days: Int(d.rounded())).description,
                        anchor: i == 0 ? "start" : i == ticks ? "end" : "middle", fill: "#444444")
        }
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(width - right))\" y2=\"\(f(top + plotH))\" stroke=\"#444444\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#444444\"/>\n"
        if Double(last.day.days) < t1 {
            out += "<line x1=\"\(f(x(Double(last.day.days))))\" y1=\"\(f(top))\" x2=\"\(f(x(Double(last.day.days))))\" "
                + "y2=\"\(f(top + plotH))\" stroke=\"#bbbbbb\" stroke-dasharray=\"2 3\"/>\n"
            out += text(x(Double(last.day.days)) - 4, top + plotH - 6, "tip", anchor: "end", size: 10, fill: "#888888")
        }
        // The legend runs along the top, above the plot: it never hides a line.
        var legendX = left
        let legendY = top - 8
        var tightened = false
        for (n, r) in t.rules.enumerated() {
            let colour = palette[n % palette.count]
            let series = t.points.compactMap { p in p.rules[r.id].map { (p, $0) } }
            guard !series.isEmpty else { continue }
            var keep = Set<Int>([0, series.count - 1])
            var marks: [Int] = []
            for i in 1..<max(1, series.count) {
                if let a = series[i - 1].1.allowance, let b = series[i].1.allowance, b < a {
                    marks.append(i)
                    keep.insert(i)
                }
                if series[i].1.files != series[i - 1].1.files && series.count <= maxPoints { keep.insert(i) }
            }
            let stride = max(1, (series.count + maxPoints - 1) / maxPoints)
            for i in Swift.stride(from: 0, to: series.count, by: stride) { keep.insert(i) }
            // A step line: the count holds until the next commit changes it.
            var path = ""
            var lastY: Double?
            for i in keep.sorted() {
                let px = x(Double(series[i].0.day.days)), py = y(Double(series[i].1.files))
                if let ly = lastY { path += "L\(f(px)) \(f(ly))L\(f(px)) \(f(py))" } else { path += "M\(f(px)) \(f(py))" }
                lastY = py
            }
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            for i in marks {
                let px = x(Double(series[i].0.day.days)), py = y(Double(series[i].1.files))
                out += "<path d=\"M\(f(px - 5)) \(f(py - 12))L\(f(px + 5)) \(f(py - 12))L\(f(px)) \(f(py - 4))Z\" fill=\"\(colour)\"/>\n"
                tightened = true
            }
            let now = series.last!.1.files
            if let goal = r.goalFiles {
                out += "<line x1=\"\(f(left))\" y1=\"\(f(y(Double(goal))))\" x2=\"\(f(width - right))\" y2=\"\(f(y(Double(goal))))\" "
                    + "stroke=\"\(colour)\" stroke-dasharray=\"6 4\" stroke-opacity=\"0.7\"/>\n"
                var label = "goal: \(goal) files"
                if let d = r.goalDate {
                    label += " by \(d)"
                    if Double(d.days) <= t1 {
                        let gx = x(Double(d.days))
                        out += "<line x1=\"\(f(gx))\" y1=\"\(f(top))\" x2=\"\(f(gx))\" y2=\"\(f(top + plotH))\" stroke=\"\(colour)\" "
                            + "stroke-dasharray=\"2 4\"/>\n"
                        out += "<circle cx=\"\(f(gx))\" cy=\"\(f(y(Double(goal))))\" r=\"4\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
                    }
                }
                out += text(width - right - 4, y(Double(goal)) - 5, label, anchor: "end", size: 11, fill: colour)
                if let e = t.estimate(r) {
                    let ex = Double(e.days) <= t1 ? x(Double(e.days)) : width - right
                    let ey = Double(e.days) <= t1 ? y(Double(goal)) : y(Double(now) - (Double(now - goal)) * (t1 - Double(last.day.days))
                        / max(1, Double(e.days) - Double(last.day.days)))
                    out += "<line x1=\"\(f(x(Double(last.day.days))))\" y1=\"\(f(y(Double(now))))\" x2=\"\(f(ex))\" y2=\"\(f(ey))\" "
                        + "stroke=\"\(colour)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n"
                    out += text(min(ex, width - right - 4), ey - 20, "at this rate: \(e)", anchor: "end", size: 11, fill: colour)
                }
            }
            out += "<line x1=\"\(f(legendX))\" y1=\"\(f(legendY - 4))\" x2=\"\(f(legendX + 22))\" "
                + "y2=\"\(f(legendY - 4))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            let label = "\(r.id): \(now) files"
            out += text(legendX + 28, legendY, label, size: 12)
            legendX += 28 + 7 * Double(label.count) + 18
        }
        if tightened {
            out += "<path d=\"M\(f(legendX + 6)) \(f(legendY - 10))L\(f(legendX + 16)) \(f(legendY - 10))"
                + "L\(f(legendX + 11)) \(f(legendY - 2))Z\" fill=\"#444444\"/>\n"
            out += text(legendX + 28, legendY, "baseline tightened", size: 12, fill: "#444444")
        }
        out += text(left, height - 14, "files with findings (y) over commit dates (x); dashed: goal and the straight-line estimate",
                    size: 10, fill: "#888888")
        return out + "</svg>\n"
    }

    /// 1, 2 or 5 times a power of ten, at least `raw` and at least 1.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 1 else { return 1 }
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where m * p >= raw { return m * p }
        return 10 * p
    }

    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? "\(Int(r))" : "\(r)"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Int = 12,
                     weight: String = "normal", fill: String = "#222222") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" font-weight=\"\(weight)\" "
            + "fill=\"\(fill)\">\(xml(s))</text>\n"
    }

    /// Text content for XML: markup characters as entities, controls and bidi characters escaped (SPEC 7).
    static func xml(_ s: String) -> String {
        var out = ""
        for ch in TextEscape.escape(s) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }
}
