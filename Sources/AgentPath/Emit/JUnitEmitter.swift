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
        var root = XMLTree("testsuites")
        var total = 0
        var failures = 0
        var skipped = 0
        for info in RuleRegistry.infos {
            var suite = XMLTree("testsuite")
            let es = g.entries.filter { $0.finding.rule == info.id }
            let fs = es.map(\.finding)
            var suiteFailures = 0
            var suiteSkipped = 0
            if fs.isEmpty {
                suite.children.append(testcase(info.id, "no findings", file: nil, line: nil))
            }
            for e in es {
                let f = e.finding
                var tc = testcase(info.id, "\(f.fingerprint) \(f.summary)", file: files.path(f.location), line: Int(f.location.line))
                if let w = e.waiver {
                    suiteSkipped += 1
                    tc.children.append(XMLTree("skipped", [("message", "waived: \(f.severity.rawValue) \(f.status.rawValue) path accepted by \(w.owner) until \(w.expires) (\(w.framework)): \(w.justification)")]))
                } else if e.verdict == .fail {
                    suiteFailures += 1
                    tc.children.append(XMLTree("failure", [("message", "\(f.severity.rawValue) \(f.status.rawValue) path: \(f.impact)"), ("type", f.rule)], text: detail(f, files)))
                } else {
                    let out = XMLTree("system-out", text: "\(f.severity.rawValue) \(f.status.rawValue)" + (f.mitigatingControls.isEmpty ? "" : "; mitigated by \(f.mitigatingControls.joined(separator: ", "))")
                        + (e.verdict == .baseline ? "; in the baseline, not new" : "") + (e.expiredWaiver.map { "; its waiver expired on \($0.expires)" } ?? ""))
                    tc.children.append(out)
                }
                suite.children.append(tc)
            }
            let count = max(1, fs.count)
            total += count
            failures += suiteFailures
            skipped += suiteSkipped
            suite.attributes = [("name", "\(info.id) \(info.title)"), ("tests", "\(count)"), ("failures", "\(suiteFailures)"), ("errors", "0"), ("skipped", "\(suiteSkipped)")]
            root.children.append(suite)
        }
        if !g.waivers.isEmpty {
            var suite = XMLTree("testsuite")
            var suiteFailures = 0
            for report in g.waivers {
                let w = report.waiver
                var tc = testcase("waivers", "waiver \(w.fingerprint) (\(w.owner))", file: g.waiverFiles.path(w.location), line: Int(w.location.line))
                switch report.state {
                case .expired:
                    suiteFailures += 1
                    tc.children.append(XMLTree("failure", [("message", "waiver expired on \(w.expires)"), ("type", DiagnosticCode.waiverExpired.rawValue)], text: "\(w.justification)\n"))
                case .unmatched:
                    tc.children.append(XMLTree("system-out", text: "unmatched: the waiver matches no finding; remove it or correct the fingerprint [\(DiagnosticCode.unmatchedWaiver.rawValue)]"))
                case .active:
                    tc.children.append(XMLTree("system-out", text: "active: accepts the finding until \(w.expires) (\(w.framework)): \(w.justification)"))
                }
                suite.children.append(tc)
            }
            total += g.waivers.count
            failures += suiteFailures
            suite.attributes = [("name", "waivers"), ("tests", "\(g.waivers.count)"), ("failures", "\(suiteFailures)"), ("errors", "0"), ("skipped", "0")]
            root.children.append(suite)
        }
        root.attributes = [("name", "agentpath \(r.system.id)"), ("tests", "\(total)"), ("failures", "\(failures)"), ("errors", "0"), ("skipped", "\(skipped)")]
        return root.document()
    }

    static func testcase(_ classname: String, _ name: String, file: String?, line: Int?) -> XMLTree {
        var attributes = [("classname", classname), ("name", name), ("time", "0")]
        if let file { attributes.append(("file", file)) }
        if let line { attributes.append(("line", "\(line)")) }
        return XMLTree("testcase", attributes)
    }

    static func detail(_ f: Finding, _ files: SourceFiles) -> String {
        var s = f.summary + "\n"
        for (i, step) in f.steps.enumerated() { s += "\(i + 1). \(step.text) (\(files.describe(step.location)))\n" }
        if let cut = f.cuts.first { s += "cut: \(cut.text)\n" }
        return s
    }
}
