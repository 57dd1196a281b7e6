import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML (Jenkins/Ant style) written through libxml2: one suite per rule, one test case
/// per finding, a passing case for a rule with none, a failure for each finding the gate fails.
public enum JUnitEmitter {
    public static func emit(_ r: AnalysisResult, files: SourceFiles, gate: Gate) -> String {
        emit(r, files: files, result: gate.evaluate(r, today: CalendarDate(year: 2000, month: 1, day: 1)!))
    }

    /// With the gate's verdicts: a waived finding is a skipped case whose message names the
    /// waiver; a finding in the baseline passes with a note; with a waivers file, one more
    /// suite holds a case per waiver, failing for each expired one.
    public static func emit(_ r: AnalysisResult, files: SourceFiles, result g: GateResult) -> String {
        let root = XMLElement(name: "testsuites")
        let doc = XMLDocument(rootElement: root)
        doc.version = "1.0"
        doc.characterEncoding = "UTF-8"
        var total = 0
        var failures = 0
        var skipped = 0
        for info in RuleRegistry.infos {
            let suite = XMLElement(name: "testsuite")
            let es = g.entries.filter { $0.finding.rule == info.id }
            let fs = es.map(\.finding)
            var suiteFailures = 0
            var suiteSkipped = 0
            if fs.isEmpty {
                suite.addChild(testcase(info.id, "no findings", file: nil, line: nil))
            }
            for e in es {
                let f = e.finding
                let tc = testcase(info.id, "\(f.fingerprint) \(f.summary)", file: files.path(f.location), line: Int(f.location.line))
                if let w = e.waiver {
                    suiteSkipped += 1
                    let skip = XMLElement(name: "skipped")
                    skip.addAttribute(XMLNode.attribute(withName: "message", stringValue: "waived: \(f.severity.rawValue) \(f.status.rawValue) path accepted by \(w.owner) until \(w.expires) (\(w.framework)): \(w.justification)") as! XMLNode)
                    tc.addChild(skip)
                } else if e.verdict == .fail {
                    suiteFailures += 1
                    let failure = XMLElement(name: "failure", stringValue: detail(f, files))
                    failure.addAttribute(XMLNode.attribute(withName: "message", stringValue: "\(f.severity.rawValue) \(f.status.rawValue) path: \(f.impact)") as! XMLNode)
                    failure.addAttribute(XMLNode.attribute(withName: "type", stringValue: f.rule) as! XMLNode)
                    tc.addChild(failure)
                } else {
                    let out = XMLElement(name: "system-out", stringValue: "\(f.severity.rawValue) \(f.status.rawValue)" + (f.mitigatingControls.isEmpty ? "" : "; mitigated by \(f.mitigatingControls.joined(separator: ", "))")
                        + (e.verdict == .baseline ? "; in the baseline, not new" : "") + (e.expiredWaiver.map { "; its waiver expired on \($0.expires)" } ?? ""))
                    tc.addChild(out)
                }
                suite.addChild(tc)
            }
            let count = max(1, fs.count)
            total += count
            failures += suiteFailures
            skipped += suiteSkipped
            for (k, v) in [("name", "\(info.id) \(info.title)"), ("tests", "\(count)"), ("failures", "\(suiteFailures)"), ("errors", "0"), ("skipped", "\(suiteSkipped)")] {
                suite.addAttribute(XMLNode.attribute(withName: k, stringValue: v) as! XMLNode)
            }
            root.addChild(suite)
        }
        if !g.waivers.isEmpty {
            let suite = XMLElement(name: "testsuite")
            var suiteFailures = 0
            for report in g.waivers {
                let w = report.waiver
                let tc = testcase("waivers", "waiver \(w.fingerprint) (\(w.owner))", file: g.waiverFiles.path(w.location), line: Int(w.location.line))
                switch report.state {
                case .expired:
                    suiteFailures += 1
                    let failure = XMLElement(name: "failure", stringValue: "\(w.justification)\n")
                    failure.addAttribute(XMLNode.attribute(withName: "message", stringValue: "waiver expired on \(w.expires)") as! XMLNode)
                    failure.addAttribute(XMLNode.attribute(withName: "type", stringValue: DiagnosticCode.waiverExpired.rawValue) as! XMLNode)
                    tc.addChild(failure)
                case .unmatched:
                    tc.addChild(XMLElement(name: "system-out", stringValue: "unmatched: the waiver matches no finding; remove it or correct the fingerprint [\(DiagnosticCode.unmatchedWaiver.rawValue)]"))
                case .active:
                    tc.addChild(XMLElement(name: "system-out", stringValue: "active: accepts the finding until \(w.expires) (\(w.framework)): \(w.justification)"))
                }
                suite.addChild(tc)
            }
            total += g.waivers.count
            failures += suiteFailures
            for (k, v) in [("name", "waivers"), ("tests", "\(g.waivers.count)"), ("failures", "\(suiteFailures)"), ("errors", "0"), ("skipped", "0")] {
                suite.addAttribute(XMLNode.attribute(withName: k, stringValue: v) as! XMLNode)
            }
            root.addChild(suite)
        }
        for (k, v) in [("name", "agentpath \(r.system.id)"), ("tests", "\(total)"), ("failures", "\(failures)"), ("errors", "0"), ("skipped", "\(skipped)")] {
            root.addAttribute(XMLNode.attribute(withName: k, stringValue: v) as! XMLNode)
        }
        return doc.xmlString(options: [.nodePrettyPrint]) + "\n"
    }

    static func testcase(_ classname: String, _ name: String, file: String?, line: Int?) -> XMLElement {
        let tc = XMLElement(name: "testcase")
        tc.addAttribute(XMLNode.attribute(withName: "classname", stringValue: classname) as! XMLNode)
        tc.addAttribute(XMLNode.attribute(withName: "name", stringValue: name) as! XMLNode)
        tc.addAttribute(XMLNode.attribute(withName: "time", stringValue: "0") as! XMLNode)
        if let file { tc.addAttribute(XMLNode.attribute(withName: "file", stringValue: file) as! XMLNode) }
        if let line { tc.addAttribute(XMLNode.attribute(withName: "line", stringValue: "\(line)") as! XMLNode) }
        return tc
    }

    static func detail(_ f: Finding, _ files: SourceFiles) -> String {
        var s = f.summary + "\n"
        for (i, step) in f.steps.enumerated() { s += "\(i + 1). \(step.text) (\(files.describe(step.location)))\n" }
        if let cut = f.cuts.first { s += "cut: \(cut.text)\n" }
        return s
    }
}
