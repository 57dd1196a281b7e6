/// JUnit XML (Jenkins/Ant style): one suite per rule, one test case
/// per finding, a passing case for a rule with none, a failure for each finding the gate fails.
public enum JUnitEmitter {
    public static func emit(_ r: AnalysisResult, files: SourceFiles, gate: Gate) -> String {
        emit(r, files: files, result: gate.evaluate(r, today: CalendarDate(year: 2000, month: 1, day: 1)!))
    }

    /// With the gate's verdicts: a waived finding is a skipped case whose message names the
    /// waiver; a finding in the baseline passes with a note; with a waivers file, one more
    /// suite holds a case per waiver, failing for each expired one.
    public static func emit(_ r: AnalysisResult, files: SourceFiles, result g: GateResult) -> String {
        String(decoding: bytes(r, files: files, result: g), as: UTF8.self)
    }

    /// The document as UTF-8, written straight into one buffer. The findings are bucketed by
    /// rule once; the totals the root element carries are counted before anything is written.
    public static func bytes(_ r: AnalysisResult, files: SourceFiles, result g: GateResult) -> [UInt8] {
        let infos = RuleRegistry.infos
        let index = Dictionary(infos.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byRule = [[Int]](repeating: [], count: infos.count)
        for i in g.entries.indices {
            if let k = index[g.entries[i].finding.rule] { byRule[k].append(i) }
        }
        // A rule id listed twice in the registry would get the same cases in both suites.
        for (k, info) in infos.enumerated() where index[info.id] != k { byRule[k] = byRule[index[info.id]!] }
        func failed(_ i: Int) -> Bool { g.entries[i].waiver == nil && g.entries[i].verdict == .fail }
        var total = 0
        var failures = 0
        var skipped = 0
        for bucket in byRule {
            total += max(1, bucket.count)
            for i in bucket {
                if g.entries[i].waiver != nil { skipped += 1 } else if failed(i) { failures += 1 }
            }
        }
        let expired = g.waivers.count { $0.state == .expired }
        if !g.waivers.isEmpty {
            total += g.waivers.count
            failures += expired
        }
        var paths = FindingsJSON.PathCache(files)
        var w = XMLWriter(capacity: 4096 + g.entries.reduce(0) { $0 + 400 + ($1.verdict == .fail ? 200 * $1.finding.steps.count : 0) } + 600 * g.waivers.count)
        w.start("testsuites")
        w.attribute("name", "agentpath " + r.system.id)
        w.attribute("tests", total)
        w.attribute("failures", failures)
        w.attribute("errors", 0)
        w.attribute("skipped", skipped)
        w.openChildren()
        for (k, info) in infos.enumerated() {
            let bucket = byRule[k]
            var suiteFailures = 0
            var suiteSkipped = 0
            for i in bucket {
                if g.entries[i].waiver != nil { suiteSkipped += 1 } else if failed(i) { suiteFailures += 1 }
            }
            w.start("testsuite")
            w.attribute("name", info.id + " " + info.title)
            w.attribute("tests", max(1, bucket.count))
            w.attribute("failures", suiteFailures)
            w.attribute("errors", 0)
            w.attribute("skipped", suiteSkipped)
            w.openChildren()
            if bucket.isEmpty {
                testcase(&w, info.id, "no findings", file: nil, line: nil)
                w.closeEmpty()
            }
            for i in bucket {
                let f = g.entries[i].finding
                let verdict = g.entries[i].verdict
                testcase(&w, info.id, f.fingerprint + " " + f.summary, file: paths.path(f.location), line: Int(f.location.line))
                w.openChildren()
                if let wv = g.entries[i].waiver {
                    w.start("skipped")
                    w.attribute("message", "waived: \(f.severity.rawValue) \(f.status.rawValue) path accepted by \(wv.owner) until \(wv.expires) (\(wv.framework)): \(wv.justification)")
                    w.closeEmpty()
                } else if verdict == .fail {
                    w.start("failure")
                    w.attribute("message", "\(f.severity.rawValue) \(f.status.rawValue) path: \(f.impact)")
                    w.attribute("type", f.rule)
                    w.beginText()
                    detail(f, &paths, into: &w)
                    w.endText("failure")
                } else {
                    w.start("system-out")
                    w.closeWithText("system-out", "\(f.severity.rawValue) \(f.status.rawValue)" + (f.mitigatingControls.isEmpty ? "" : "; mitigated by \(f.mitigatingControls.joined(separator: ", "))")
                        + (verdict == .baseline ? "; in the baseline, not new" : "") + (g.entries[i].expiredWaiver.map { "; its waiver expired on \($0.expires)" } ?? ""))
                }
                w.end("testcase")
            }
            w.end("testsuite")
        }
        if !g.waivers.isEmpty {
            var waiverPaths = FindingsJSON.PathCache(g.waiverFiles)
            w.start("testsuite")
            w.attribute("name", "waivers")
            w.attribute("tests", g.waivers.count)
            w.attribute("failures", expired)
            w.attribute("errors", 0)
            w.attribute("skipped", 0)
            w.openChildren()
            for report in g.waivers {
                let wv = report.waiver
                testcase(&w, "waivers", "waiver \(wv.fingerprint) (\(wv.owner))", file: waiverPaths.path(wv.location), line: Int(wv.location.line))
                w.openChildren()
                switch report.state {
                case .expired:
                    w.start("failure")
                    w.attribute("message", "waiver expired on \(wv.expires)")
                    w.attribute("type", DiagnosticCode.waiverExpired.rawValue)
                    w.closeWithText("failure", "\(wv.justification)\n")
                case .unmatched:
                    w.start("system-out")
                    w.closeWithText("system-out", "unmatched: the waiver matches no finding; remove it or correct the fingerprint [\(DiagnosticCode.unmatchedWaiver.rawValue)]")
                case .active:
                    w.start("system-out")
                    w.closeWithText("system-out", "active: accepts the finding until \(wv.expires) (\(wv.framework)): \(wv.justification)")
                }
                w.end("testcase")
            }
            w.end("testsuite")
        }
        w.end("testsuites")
        return w.bytes
    }

    /// `<testcase …` with its attributes; the caller closes it.
    static func testcase(_ w: inout XMLWriter, _ classname: String, _ name: String, file: String?, line: Int?) {
        w.start("testcase")
        w.attribute("classname", classname)
        w.attribute("name", name)
        w.attribute("time", "0")
        if let file { w.attribute("file", file) }
        if let line { w.attribute("line", line) }
    }

    /// The failure's text: the summary, each step with its `file:line:col`, the first cut.
    static func detail(_ f: Finding, _ paths: inout FindingsJSON.PathCache, into w: inout XMLWriter) {
        w.escape(f.summary, attribute: false)
        w.raw("\n")
        for (i, step) in f.steps.enumerated() {
            w.int(i + 1)
            w.raw(". ")
            w.escape(step.text, attribute: false)
            w.raw(" (")
            if let p = paths.path(step.location) {
                w.escape(p, attribute: false)
                w.raw(":")
                w.int(Int(step.location.line))
                w.raw(":")
                w.int(Int(step.location.column))
            } else {
                w.raw("&lt;unknown&gt;")
            }
            w.raw(")\n")
        }
        if let cut = f.cuts.first {
            w.raw("cut: ")
            w.escape(cut.text, attribute: false)
            w.raw("\n")
        }
    }
}
