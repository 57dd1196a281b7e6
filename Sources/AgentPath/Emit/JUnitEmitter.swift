import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// JUnit XML (Jenkins/Ant style) written through libxml2: one suite per rule, one test case
/// per finding, a passing case for a rule with none, a failure for each finding the gate fails.
public enum JUnitEmitter {
    public static func emit(_ r: AnalysisResult, files: SourceFiles, gate: Gate) -> String {
        let root = XMLElement(name: "testsuites")
        let doc = XMLDocument(rootElement: root)
        doc.version = "1.0"
        doc.characterEncoding = "UTF-8"
        var total = 0
        var failures = 0
        for info in RuleRegistry.infos {
            let suite = XMLElement(name: "testsuite")
            let fs = r.findings.filter { $0.rule == info.id }
            var suiteFailures = 0
            if fs.isEmpty {
                suite.addChild(testcase(info.id, "no findings", file: nil, line: nil))
            }
            for f in fs {
                let tc = testcase(info.id, "\(f.fingerprint) \(f.summary)", file: files.path(f.location), line: Int(f.location.line))
                if gate.fails(f) {
                    suiteFailures += 1
                    let failure = XMLElement(name: "failure", stringValue: detail(f, files))
                    failure.addAttribute(XMLNode.attribute(withName: "message", stringValue: "\(f.severity.rawValue) \(f.status.rawValue) path: \(f.impact)") as! XMLNode)
                    failure.addAttribute(XMLNode.attribute(withName: "type", stringValue: f.rule) as! XMLNode)
                    tc.addChild(failure)
                } else {
                    let out = XMLElement(name: "system-out", stringValue: "\(f.severity.rawValue) \(f.status.rawValue)" + (f.mitigatingControls.isEmpty ? "" : "; mitigated by \(f.mitigatingControls.joined(separator: ", "))"))
                    tc.addChild(out)
                }
                suite.addChild(tc)
            }
            let count = max(1, fs.count)
            total += count
            failures += suiteFailures
            for (k, v) in [("name", "\(info.id) \(info.title)"), ("tests", "\(count)"), ("failures", "\(suiteFailures)"), ("errors", "0"), ("skipped", "0")] {
                suite.addAttribute(XMLNode.attribute(withName: k, stringValue: v) as! XMLNode)
            }
            root.addChild(suite)
        }
        for (k, v) in [("name", "agentpath \(r.system.id)"), ("tests", "\(total)"), ("failures", "\(failures)"), ("errors", "0"), ("skipped", "0")] {
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
