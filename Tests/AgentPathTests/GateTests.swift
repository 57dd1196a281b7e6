import Foundation
import Testing
@testable import AgentPath
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Issue #5: `check` exit codes, agentpath.yaml, waivers (with an injected today), baselines,
/// and `diff` (opened, closed, changed severity), through the library (`CheckRun`, `DiffRun`)
/// and, when it is built, the binary.
@Suite struct GateTests {
    static let fixtures = RepoPaths.path("Tests/AgentPathTests/Fixtures/gate")
    static let base = fixtures + "/base.yaml"
    static let head = fixtures + "/head.yaml"
    static let project = fixtures + "/project"
    static let frameworks = FrameworkFixtures.builtin.set

    // Fingerprints in the fixtures (stable: built from ids, never lines).
    static let shellPath = "5afdeb2d6f99a235"     // AP002, opened in head, critical
    static let wikiPath = "dc753e7d67f9bf4c"      // AP001, medium in base, critical in head
    static let docsPath = "d9eedb1e8237d9ab"      // AP001, critical in base, gone in head

    static func day(_ s: String) -> CalendarDate { CalendarDate.parse(s)! }

    static func check(_ model: String, today: String = "2026-05-01", _ configure: (inout CheckOptions) -> Void = { _ in }) -> CheckOutcome {
        var o = CheckOptions(model: model, today: day(today))
        configure(&o)
        return CheckRun.run(o, frameworks: frameworks)
    }

    // MARK: exit codes

    @Test func exitZeroWhenTheGatePasses() {
        let out = Self.check(RepoPaths.path("models/devops-pipeline-hardened.yaml"))
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.hasSuffix("gate: pass — no open path high or above (default fail-on high)\n"))
        #expect(out.stderr == "")
    }

    @Test func exitOneWhenAnOpenPathFails() {
        let out = Self.check(RepoPaths.path("models/coding-assistant.yaml"))
        #expect(out.exitCode == 1)
        let failing = out.gate!.failing.count
        #expect(failing > 0)
        #expect(out.stdout.contains("gate: FAIL — \(failing) open paths high or above (default fail-on high)"))
        #expect(out.stdout.components(separatedBy: "FAILS THE GATE").count - 1 == failing)
    }

    @Test func failOnChangesTheThreshold() {
        #expect(Self.check(Self.head) { $0.failOn = "none" }.exitCode == 0)
        #expect(Self.check(Self.head) { $0.failOn = "critical" }.exitCode == 1)
        // devops-pipeline has high paths but none critical.
        let devops = RepoPaths.path("models/devops-pipeline.yaml")
        #expect(Self.check(devops) { $0.failOn = "critical" }.exitCode == 0)
        #expect(Self.check(devops) { $0.failOn = "high" }.exitCode == 1)
    }

    @Test func exitTwoForAnInvalidModel() {
        let out = Self.check(RepoPaths.path("Tests/AgentPathTests/Fixtures/smoke-invalid.yaml"))
        #expect(out.exitCode == 2)
        #expect(out.stdout == "")
        #expect(out.stderr.contains("[E0101]"))
        #expect(Self.check("/nonexistent/model.yaml").exitCode == 2)
    }

    @Test func exitTwoForInvalidOptions() {
        let out = Self.check(Self.head) { $0.failOn = "severe" }
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("--fail-on must be critical, high, medium, low or none"))
        #expect(Self.check(Self.head) { $0.waivers = "/nonexistent/waivers.yaml" }.exitCode == 2)
        #expect(Self.check(Self.head) { $0.baseline = "/nonexistent/findings.json" }.exitCode == 2)
        let unwritable = Self.check(Self.head) { $0.sarif = "/proc/agentpath/out.sarif" }
        #expect(unwritable.exitCode == 2)
    }

    @Test func exitTwoForAnInvalidConfig() {
        let out = Self.check(Self.head) { $0.config = Self.fixtures + "/invalid-config.yaml" }
        #expect(out.exitCode == 2)
        let lines = out.stderr.split(separator: "\n").map(String.init)
        #expect(lines == [
            "\(Self.fixtures)/invalid-config.yaml:2:12: error: invalid value 'hihg' for 'fail_on' in gate; expected critical, high, medium, low or none; did you mean 'high'? [E0105]",
            "\(Self.fixtures)/invalid-config.yaml:3:1: error: unknown key 'waiver' in agentpath.yaml; did you mean 'waivers'? [E0103]",
        ])
    }

    // MARK: agentpath.yaml

    @Test func configBesideTheModelSetsGateAndWaivers() throws {
        #expect(ProjectConfig.discover(forModel: Self.project) == Self.project + "/agentpath.yaml")
        #expect(ProjectConfig.discover(forModel: Self.project + "/model.yaml") == Self.project + "/agentpath.yaml")
        #expect(ProjectConfig.discover(forModel: Self.head) == nil)
        // The folder loads as a model: agentpath.yaml and waivers.yaml are not model parts.
        let out = Self.check(Self.project)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.contains("(fail_on critical from \(Self.project)/agentpath.yaml)"))
        let g = try #require(out.gate)
        #expect(g.gate == Gate(failOn: .critical))
        #expect(g.entry(Self.shellPath)?.verdict == .waived)
        #expect(g.entry(Self.wikiPath)?.verdict == .waived)
        // --fail-on overrides the config; --no-config drops the waivers too.
        #expect(Self.check(Self.project) { $0.failOn = "low" }.stdout.contains("(--fail-on low)"))
        let bare = Self.check(Self.project) { $0.noConfig = true }
        #expect(bare.exitCode == 1)
        #expect(bare.gate?.count(.waived) == 0)
    }

    // MARK: waivers

    @Test func waivedFindingsPassButStayVisible() throws {
        let out = Self.check(Self.project + "/model.yaml") { $0.format = .json }
        #expect(out.exitCode == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(doc["format"] as? String == "agentpath-check")
        let gate = doc["gate"] as! [String: Any]
        #expect(gate["passed"] as? Bool == true)
        #expect(gate["today"] as? String == "2026-05-01")
        #expect((gate["counts"] as! [String: Int])["waived"] == 2)
        let verdicts = doc["verdicts"] as! [[String: Any]]
        let shell = try #require(verdicts.first { $0["fingerprint"] as? String == Self.shellPath })
        #expect(shell["verdict"] as? String == "waived")
        #expect((shell["waiver"] as? [String: Any])?["owner"] as? String == "platform-security")
        // The findings document is still complete.
        let findings = (doc["findings"] as! [String: Any])["findings"] as! [[String: Any]]
        #expect(findings.contains { $0["fingerprint"] as? String == Self.shellPath })
        // Text marks them accepted.
        let text = Self.check(Self.project).stdout
        #expect(text.contains("WAIVED — accepted by platform-security until 2026-12-31 (ASI02): shell.run only runs in a throwaway container with no network."))
        #expect(text.contains("gate: pass — no open path critical or above; 2 waived; 1 unmatched waiver"))
    }

    @Test func waiverExpiryUsesTheInjectedDay() throws {
        // Valid through its expiry day…
        let lastDay = Self.check(Self.project, today: "2026-06-30")
        #expect(lastDay.exitCode == 0)
        #expect(lastDay.gate?.expiredWaivers.isEmpty == true)
        // …expired the day after: the finding fails again and the waiver is named.
        let dayAfter = Self.check(Self.project, today: "2026-07-01")
        #expect(dayAfter.exitCode == 1)
        let g = try #require(dayAfter.gate)
        #expect(g.expiredWaivers.map(\.fingerprint) == [Self.wikiPath])
        #expect(g.entry(Self.wikiPath)?.verdict == .fail)
        #expect(g.entry(Self.wikiPath)?.expiredWaiver?.owner == "docs-team")
        #expect(g.entry(Self.shellPath)?.verdict == .waived)
        #expect(dayAfter.stderr.contains("\(Self.project)/waivers.yaml:13:14: error: the waiver for \(Self.wikiPath) (owner docs-team, LLM02:2025) expired on 2026-06-30, 1 day ago; renew it with a new date after review, or fix the finding [E0602]"))
        #expect(dayAfter.stdout.contains("gate: FAIL — 1 open path critical or above; 1 expired waiver; 1 waived; 1 unmatched waiver"))
        #expect(dayAfter.stdout.contains("WAIVER EXPIRED on 2026-06-30 (owner docs-team)"))
        // An expired waiver fails the gate even when no finding would.
        let off = Self.check(Self.project, today: "2026-07-01") { $0.failOn = "none" }
        #expect(off.exitCode == 1)
        #expect(off.gate?.failing.isEmpty == true)
        #expect(off.stdout.contains("gate: FAIL — 1 expired waiver;"))
    }

    @Test func unmatchedWaiverIsAWarning() throws {
        let out = Self.check(Self.project)
        #expect(out.exitCode == 0)
        let g = try #require(out.gate)
        #expect(g.unmatchedWaivers.map(\.fingerprint) == [Self.docsPath])
        let warnings = g.diagnostics.filter { $0.code == .unmatchedWaiver }
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.text == "\(Self.project)/waivers.yaml:14:18: warning: the waiver for \(Self.docsPath) (owner docs-team) matches no finding; remove it, or correct the fingerprint [W0601]")
        #expect(out.stderr.contains("[W0601]"))
    }

    @Test func waiverForAnotherRuleIsAWarning() throws {
        let file = RepoPaths.tempDir().appendingPathComponent("waivers.yaml")
        try """
        waivers:
          - { fingerprint: \(Self.shellPath), owner: o, justification: j, framework: ASI02, expires: 2026-12-31, rule: AP001 }
        """.write(to: file, atomically: true, encoding: .utf8)
        let out = Self.check(Self.head) { $0.waivers = file.path }
        #expect(out.exitCode == 1) // the wiki path still fails at high
        #expect(out.gate?.entry(Self.shellPath)?.verdict == .waived)
        #expect(out.diagnostics.map(\.text) == ["\(file.path):2:111: warning: the waiver for \(Self.shellPath) says rule AP001 but the finding is AP002 (Untrusted content can trigger consequential actions) [W0602]"])
    }

    @Test func invalidWaiversAreLocatedErrors() {
        let diagnostics = DiagnosticCollector()
        let path = Self.fixtures + "/invalid-waivers.yaml"
        let set = WaiverLoader(frameworks: Self.frameworks).load(path: path, diagnostics: diagnostics)
        #expect(set == nil)
        let texts = diagnostics.sorted.map { $0.text.replacingOccurrences(of: path, with: "w.yaml") }
        #expect(texts == [
            "w.yaml:3:5: error: waiver 1 is missing required key 'justification' [E0104]",
            "w.yaml:5:5: error: unknown key 'justificaton' in waiver 1; did you mean 'justification'? [E0103]",
            "w.yaml:8:18: error: '3E0D29AD' in waiver 2 is not a fingerprint; a fingerprint is 16 lower-case hex digits, as printed by `agentpath check` [E0604]",
            "w.yaml:11:16: error: 'ASI99' in waiver 2 is not an item of any loaded catalog; did you mean 'ASI09'? [E0605]",
            "w.yaml:12:14: error: invalid date '2026-02-30' for 'expires' in waiver 2; write YYYY-MM-DD, a real day (2026-12-31) [E0601]",
            "w.yaml:18:18: error: a second waiver for dc753e7d67f9bf4c; the first is at line 13; keep one [E0603]",
        ])
        let out = Self.check(Self.head) { $0.waivers = path }
        #expect(out.exitCode == 2)
        #expect(out.stdout == "")
    }

    @Test func calendarDates() {
        #expect(CalendarDate.parse("2026-12-31")?.description == "2026-12-31")
        #expect(CalendarDate.parse("2028-02-29") != nil)
        #expect(CalendarDate.parse("2026-02-29") == nil)
        #expect(CalendarDate.parse("2100-02-29") == nil)
        #expect(CalendarDate.parse("2000-02-29") != nil)
        for bad in ["2026-1-01", "2026-13-01", "2026-00-10", "26-01-01", "2026/01/01", "2026-01-01T00:00", "", "２０２６-01-01"] {
            #expect(CalendarDate.parse(bad) == nil, "\(bad)")
        }
        #expect(Self.day("2026-06-30") < Self.day("2026-07-01"))
        #expect(Self.day("2026-06-30").days(until: Self.day("2027-06-30")) == 365)
        #expect(Self.day("2024-02-28").days(until: Self.day("2024-03-01")) == 2)
        #expect(CalendarDate.utc(Date(timeIntervalSince1970: 0)).description == "1970-01-01")
    }

    // MARK: baselines

    func findingsJSON(_ model: String) throws -> String {
        let diagnostics = DiagnosticCollector()
        let v = try #require(Pipeline().load(path: model, diagnostics: diagnostics))
        let file = RepoPaths.tempDir().appendingPathComponent("findings.json")
        try FindingsJSON.emit(Analyzer(frameworks: Self.frameworks).analyze(v), files: v.model.files).write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @Test func baselineFailsOnlyOnNewFindings() throws {
        // Against its own findings nothing is new.
        let same = Self.check(Self.head) { $0.baseline = try? self.findingsJSON(Self.head) }
        #expect(same.exitCode == 0, "\(same.stderr)")
        #expect(same.gate?.count(.baseline) == 2)
        #expect(same.stdout.contains("gate: pass — no open path high or above; 2 in the baseline"))
        // Against the base: the opened path and the one whose severity rose are new.
        let fromBase = Self.check(Self.head) { $0.baseline = try? self.findingsJSON(Self.base) }
        #expect(fromBase.exitCode == 1)
        #expect(Set(fromBase.gate!.failing.map(\.fingerprint)) == [Self.shellPath, Self.wikiPath])
        #expect(fromBase.stdout.contains("2 open paths high or above not in the baseline"))
        // SARIF baselineState: the opened path is new, the one whose severity rose is updated.
        let sarifFile = RepoPaths.tempDir().appendingPathComponent("b.sarif").path
        let baseJSON = try findingsJSON(Self.base)
        _ = Self.check(Self.head) { $0.baseline = baseJSON; $0.sarif = sarifFile }
        let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarifFile))) as! [String: Any]
        let results = (sarif["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]]
        let states = Dictionary(uniqueKeysWithValues: results.map { (($0["partialFingerprints"] as! [String: String])[SARIFEmitter.fingerprintKey]!, $0["baselineState"] as! String) })
        #expect(states[Self.shellPath] == "new")
        #expect(states[Self.wikiPath] == "updated")
        #expect(states["a6bc20caa0552006"] == "unchanged")
        // A build output folder and check's own JSON work as baselines too.
        let folder = URL(fileURLWithPath: try findingsJSON(Self.head)).deletingLastPathComponent().path
        #expect(Self.check(Self.head) { $0.baseline = folder }.exitCode == 0)
        let checkJSON = RepoPaths.tempDir().appendingPathComponent("check.json")
        try Self.check(Self.head) { $0.format = .json }.stdout.write(to: checkJSON, atomically: true, encoding: .utf8)
        #expect(Self.check(Self.head) { $0.baseline = checkJSON.path }.exitCode == 0)
    }

    @Test func invalidBaselineIsExitTwo() throws {
        let file = RepoPaths.tempDir().appendingPathComponent("b.json")
        try #"{"format": "something-else"}"#.write(to: file, atomically: true, encoding: .utf8)
        let out = Self.check(Self.head) { $0.baseline = file.path }
        #expect(out.exitCode == 2)
        #expect(out.stderr.contains("not a findings JSON"))
        #expect(out.stderr.contains("[E0606]"))
    }

    // MARK: diff

    @Test func diffListsOpenedClosedAndChanged() throws {
        let out = DiffRun.run(DiffOptions(base: Self.base, head: Self.head, format: .json), frameworks: Self.frameworks)
        #expect(out.exitCode == 0, "\(out.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect((doc["opened"] as! [[String: Any]]).map { $0["fingerprint"] as! String } == [Self.shellPath])
        let closed = doc["closed"] as! [[String: Any]]
        #expect(closed.map { $0["fingerprint"] as! String } == [Self.docsPath])
        #expect(closed.first?["closed_by"] as? String == "gone")
        let changed = doc["changed"] as! [[String: Any]]
        #expect(changed.map { $0["fingerprint"] as! String } == [Self.wikiPath])
        #expect(changed.first?["from"] as? String == "medium")
        #expect(changed.first?["to"] as? String == "critical")
        #expect(doc["summary"] as? [String: Int] == ["opened": 1, "closed": 1, "changed": 1, "unchanged": 0, "base_open": 2, "head_open": 2])
        // Findings JSON on either side gives the same diff.
        let viaJSON = DiffRun.run(DiffOptions(base: try findingsJSON(Self.base), head: Self.head, format: .json), frameworks: Self.frameworks)
        #expect(viaJSON.stdout.replacingOccurrences(of: #""base": ".*""#, with: "", options: .regularExpression)
            == out.stdout.replacingOccurrences(of: #""base": ".*""#, with: "", options: .regularExpression))
    }

    @Test func diffMarkdownIsAPRComment() {
        let out = DiffRun.run(DiffOptions(base: "base.yaml", head: "head.yaml", format: .markdown), frameworks: Self.frameworks)
        #expect(out.exitCode == 2) // relative names that do not exist here
        let md = DiffRun.run(DiffOptions(base: Self.base, head: Self.head, format: .markdown), frameworks: Self.frameworks).stdout
            .replacingOccurrences(of: Self.fixtures + "/", with: "")
        #expect(md == """
        <!-- agentpath-diff -->
        ### agentpath: 1 path opened, 1 closed, 1 changed severity

        `base.yaml` → `head.yaml`: 2 open paths before, 2 after.

        #### Opened (1)

        | Severity | Rule | Path | Where | Fingerprint |
        |---|---|---|---|---|
        | **critical** | AP002 | untrusted content in 'web' steers agent 'assistant' to call 'shell.run' (execute) | `head.yaml:44` | `5afdeb2d6f99a235` |

        #### Closed (1)

        | Severity | Rule | Path | How | Fingerprint |
        |---|---|---|---|---|
        | critical | AP001 | untrusted content in 'web' steers agent 'assistant' to read 'internal-docs' and send it to the network | no longer in the model | `d9eedb1e8237d9ab` |

        #### Severity changed (1)

        | Change | Rule | Path | Where | Fingerprint |
        |---|---|---|---|---|
        | medium → **critical** ▲ | AP001 | untrusted content in 'web' steers agent 'assistant' to read 'wiki' and send it to the network | `head.yaml:33` | `dc753e7d67f9bf4c` |

        """)
        let none = DiffRun.run(DiffOptions(base: Self.head, head: Self.head, format: .markdown), frameworks: Self.frameworks).stdout
        #expect(none.contains("No attack path opened, closed or changed severity."))
        #expect(DiffMarkdown.cell("a|b\n<c>") == "a\\|b &lt;c&gt;")
    }

    @Test func diffRecordsMitigationAndImprovement() {
        func rec(_ fp: String, _ s: FindingSeverity, _ st: PathStatus, by: [String] = []) -> FindingRecord {
            FindingRecord(fingerprint: fp, rule: "AP001", title: "t", isPath: true, status: st, severity: s, score: 5, summary: fp, file: "m.yaml", line: 1, mitigatedBy: by)
        }
        let base = [rec("a", .high, .open), rec("b", .medium, .open), rec("c", .low, .mitigated), rec("d", .low, .reduced)]
        let head = [rec("a", .high, .mitigated, by: ["quarantine"]), rec("b", .low, .open), rec("c", .low, .open), rec("d", .low, .open)]
        let d = ModelDiff.compare(base: base, head: head, baseName: "b", headName: "h")
        #expect(d.opened.map(\.fingerprint) == ["c"])
        #expect(d.closed.map(\.record.fingerprint) == ["a"])
        #expect(d.closed.first?.how == .mitigated)
        #expect(d.changed.map(\.head.fingerprint) == ["b"])
        #expect(d.changed.first?.worse == false)
        #expect(d.unchanged == 1)
        #expect(DiffMarkdown.emit(d).contains("| high | AP001 | a | mitigated by quarantine | `a` |"))
        #expect(DiffMarkdown.emit(d).contains("| medium → low ▼ |"))
    }

    @Test func diffAgainstAGitRevision() throws {
        let repo = RepoPaths.tempDir().appendingPathComponent("repo")
        let models = repo.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        let model = models.appendingPathComponent("system.yaml")
        func git(_ args: String...) throws {
            let r = try RepoPaths.run(["git", "-C", repo.path, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"] + args)
            #expect(r.status == 0, "\(r.output)")
        }
        try git("init", "-q")
        try FileManager.default.copyItem(atPath: Self.base, toPath: model.path)
        try git("add", ".")
        try git("commit", "-qm", "base")
        try FileManager.default.removeItem(at: model)
        try FileManager.default.copyItem(atPath: Self.head, toPath: model.path)
        let out = DiffRun.run(DiffOptions(base: nil, head: model.path, baseRef: "HEAD", format: .text), frameworks: Self.frameworks)
        #expect(out.exitCode == 0, "\(out.stderr)")
        #expect(out.stdout.hasPrefix("HEAD:\(model.path) → \(model.path): 1 path opened, 1 closed, 1 changed severity; 2 → 2 open paths\n"))
        #expect(out.stdout.contains("+ opened  critical [AP002]"))
        #expect(out.stdout.contains("\(model.path):44"))
        #expect(!out.stdout.contains("agentpath-base-"))
        let bad = DiffRun.run(DiffOptions(base: nil, head: model.path, baseRef: "no-such-branch"), frameworks: Self.frameworks)
        #expect(bad.exitCode == 2)
        #expect(bad.stderr.contains("'no-such-branch' is not a git revision here [E0607]"))
        // A model folder (with its agentpath.yaml and waivers, which are not model files).
        try FileManager.default.copyItem(atPath: Self.project + "/agentpath.yaml", toPath: models.appendingPathComponent("agentpath.yaml").path)
        try FileManager.default.copyItem(atPath: Self.project + "/waivers.yaml", toPath: models.appendingPathComponent("waivers.yaml").path)
        let folder = DiffRun.run(DiffOptions(base: nil, head: models.path, baseRef: "HEAD"), frameworks: Self.frameworks)
        #expect(folder.exitCode == 0, "\(folder.stderr)")
        #expect(folder.stdout.contains("1 path opened, 1 closed, 1 changed severity"))
        // A model that did not exist at the revision: everything is opened.
        let fresh = models.appendingPathComponent("new.yaml")
        try FileManager.default.copyItem(atPath: Self.head, toPath: fresh.path)
        let opened = DiffRun.run(DiffOptions(base: nil, head: fresh.path, baseRef: "HEAD"), frameworks: Self.frameworks)
        #expect(opened.stdout.contains("2 paths opened, 0 closed"))
    }

    // MARK: outputs agree

    @Test func outputsAgreeWithWaiversAndBaseline() throws {
        let dir = RepoPaths.tempDir()
        let sarifFile = dir.appendingPathComponent("out.sarif").path
        let junitFile = dir.appendingPathComponent("out.xml").path
        let out = Self.check(Self.project, today: "2026-07-01") {
            $0.sarif = sarifFile
            $0.junit = junitFile
        }
        let g = try #require(out.gate)
        #expect(out.exitCode == 1)
        // JSON
        let json = Self.check(Self.project, today: "2026-07-01") { $0.format = .json }
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let counts = (doc["gate"] as! [String: Any])["counts"] as! [String: Int]
        #expect(counts["fail"] == g.failing.count)
        #expect(counts["waived"] == 1)
        #expect(json.exitCode == 1)
        // SARIF: validates; waived results are suppressed; the expired waiver is a notification.
        let run = try RepoPaths.run(["sarif-kit", "validate", sarifFile])
        #expect(run.status == 0, "\(run.output)")
        let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarifFile))) as! [String: Any]
        let sarifRun = (sarif["runs"] as! [[String: Any]])[0]
        let results = sarifRun["results"] as! [[String: Any]]
        let suppressed = results.filter { $0["suppressions"] != nil }
        #expect(suppressed.count == 1)
        let suppression = (suppressed[0]["suppressions"] as! [[String: Any]])[0]
        #expect(suppression["kind"] as? String == "external")
        #expect(suppression["justification"] as? String == "shell.run only runs in a throwaway container with no network.")
        #expect(results.filter { ($0["properties"] as! [String: Any])["gate"] as? String == "fail" }.count == g.failing.count)
        let notes = ((sarifRun["invocations"] as! [[String: Any]])[0]["toolConfigurationNotifications"] as! [[String: Any]])
        #expect(notes.compactMap { ($0["descriptor"] as? [String: Any])?["id"] as? String } == ["E0602", "W0601"])
        // JUnit, parsed with libxml2: failures are failing findings plus expired waivers.
        let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: junitFile))
        let root = try #require(xml.rootElement())
        #expect(Int(root.attribute(forName: "failures")?.stringValue ?? "") == g.failing.count + g.expiredWaivers.count)
        #expect(Int(root.attribute(forName: "skipped")?.stringValue ?? "") == g.count(.waived))
        #expect(try xml.nodes(forXPath: "//testcase/skipped").count == 1)
        #expect(try xml.nodes(forXPath: "//testsuite[@name='waivers']/testcase").count == 3)
        // Text
        #expect(out.stdout.components(separatedBy: "FAILS THE GATE").count - 1 == g.failing.count)
        #expect(out.stdout.components(separatedBy: "      WAIVED — ").count - 1 == g.count(.waived))
    }

    /// Every example model with a waiver (active), an expired one and an unmatched one, and a
    /// baseline: the SARIF validates, JUnit parses, and text, JSON, SARIF and JUnit agree.
    @Test(arguments: RepoPaths.exampleModels)
    func everyExampleWithWaiversAndBaseline(model: String) throws {
        let diagnostics = DiagnosticCollector()
        let validated = try #require(Pipeline().load(path: model, diagnostics: diagnostics))
        let findings = Analyzer(frameworks: Self.frameworks).analyze(validated).findings
        let open = findings.filter { $0.isPath && $0.status != .mitigated } + findings.filter { !$0.isPath || $0.status == .mitigated }
        try #require(open.count >= 2)
        func framework(_ f: Finding) -> String { f.frameworks.first.map { "\($0.catalog):\($0.id)" } ?? "ASI01" }
        let dir = RepoPaths.tempDir()
        let waivers = dir.appendingPathComponent("waivers.yaml")
        try """
        waivers:
          - { fingerprint: \(open[0].fingerprint), owner: a, justification: "accepted: <reviewed> & \\"quoted\\"", framework: "\(framework(open[0]))", expires: 2030-01-01 }
          - { fingerprint: \(open[1].fingerprint), owner: b, justification: old, framework: "\(framework(open[1]))", expires: 2020-01-01 }
          - { fingerprint: 0123456789abcdef, owner: c, justification: stale, framework: ASI01, expires: 2030-01-01 }
        """.write(to: waivers, atomically: true, encoding: .utf8)
        let sarifFile = dir.appendingPathComponent("out.sarif").path
        let junitFile = dir.appendingPathComponent("out.xml").path
        let baseline = try findingsJSON(Self.base)
        let out = Self.check(model, today: "2026-05-01") {
            $0.waivers = waivers.path
            $0.baseline = baseline
            $0.failOn = "low"
            $0.sarif = sarifFile
            $0.junit = junitFile
        }
        #expect(out.exitCode == 1, "\(out.stderr)")
        let g = try #require(out.gate)
        #expect(g.count(.waived) == 1)
        #expect(g.expiredWaivers.count == 1)
        #expect(g.unmatchedWaivers.count == 1)
        // SARIF validates, with one suppression and baseline states.
        let run = try RepoPaths.run(["sarif-kit", "validate", sarifFile])
        #expect(run.status == 0, "SARIF for \(model) with waivers and a baseline is invalid:\n\(run.output)")
        let sarif = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sarifFile))) as! [String: Any]
        let results = (sarif["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]]
        #expect(results.count == findings.count)
        #expect(results.filter { $0["suppressions"] != nil }.count == 1)
        #expect(results.allSatisfy { $0["baselineState"] != nil })
        let sarifFailing = results.filter { ($0["properties"] as! [String: Any])["gate"] as? String == "fail" }.count
        // JUnit parses with libxml2.
        let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: junitFile))
        let root = try #require(xml.rootElement())
        let junitFailures = Int(root.attribute(forName: "failures")?.stringValue ?? "") ?? -1
        let junitSkipped = Int(root.attribute(forName: "skipped")?.stringValue ?? "") ?? -1
        // JSON
        let json = Self.check(model, today: "2026-05-01") { $0.waivers = waivers.path; $0.baseline = baseline; $0.failOn = "low"; $0.format = .json }
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let counts = (doc["gate"] as! [String: Any])["counts"] as! [String: Int]
        // Text
        let failing = g.failing.count
        let lead = failing == 0 ? "" : "\(failing) open path\(failing == 1 ? "" : "s") low or above not in the baseline; "
        #expect(out.stdout.contains("gate: FAIL — \(lead)1 expired waiver; 1 waived;"))
        #expect(out.stdout.components(separatedBy: "FAILS THE GATE").count - 1 == failing)
        #expect(counts["fail"] == failing)
        #expect(sarifFailing == failing)
        #expect(junitFailures == failing + 1)
        #expect(junitSkipped == 1)
        #expect(counts["waived"] == 1)
        #expect(counts.values.reduce(0, +) == findings.count)
    }

    // MARK: docs and the binary

    @Test func gateCodesAreDocumented() throws {
        let page = try String(contentsOfFile: RepoPaths.path("docs/diagnostics.md"), encoding: .utf8)
        let headings = Set(page.split(separator: "\n").filter { $0.hasPrefix("#") }.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
        for code in DiagnosticCode.allCases where code.rawValue.dropFirst().hasPrefix("06") {
            #expect(headings.contains(code.rawValue), "docs/diagnostics.md has no '## \(code.rawValue)'")
        }
        let ci = try String(contentsOfFile: RepoPaths.path("docs/ci.md"), encoding: .utf8)
        for needle in ["github/codeql-action/upload-sarif", "--format markdown", "gitlab", "pre-commit", "--base-ref"] {
            #expect(ci.contains(needle), "docs/ci.md lacks \(needle)")
        }
    }

    /// The PR-comment example in docs/ci.md is what `diff --format markdown` prints for the
    /// fixtures; every YAML block there reads without errors.
    @Test func ciDocExamplesAreReal() throws {
        let ci = try String(contentsOfFile: RepoPaths.path("docs/ci.md"), encoding: .utf8)
        let start = try #require(ci.range(of: "<!-- diff-markdown-example -->\n```markdown\n"))
        let end = try #require(ci.range(of: "\n```\n", range: start.upperBound..<ci.endIndex))
        let example = String(ci[start.upperBound..<end.lowerBound]) + "\n"
        let actual = DiffRun.run(DiffOptions(base: Self.base, head: Self.head, format: .markdown), frameworks: Self.frameworks).stdout
            .replacingOccurrences(of: Self.fixtures + "/", with: "")
        #expect(example == actual)
        // The check example: the fixture project the day after a waiver expired.
        let textStart = try #require(ci.range(of: "stdout (exit 1):\n\n```\n"))
        let textEnd = try #require(ci.range(of: "\n```\n", range: textStart.upperBound..<ci.endIndex))
        let out = Self.check(Self.project, today: "2026-07-01")
        #expect(String(ci[textStart.upperBound..<textEnd.lowerBound]) + "\n" == out.stdout.replacingOccurrences(of: Self.fixtures + "/", with: ""))
        #expect(ci.contains(out.stderr.replacingOccurrences(of: Self.fixtures + "/", with: "")))
        let blocks = ci.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        #expect(blocks.count >= 5)
        for (i, block) in blocks.enumerated() {
            let diagnostics = DiagnosticCollector()
            let node = YAMLReader().read(bytes: Array(block.utf8), file: diagnostics.files.intern("block\(i)"), diagnostics: diagnostics)
            #expect(node != nil && diagnostics.diagnostics.isEmpty, "yaml block \(i) in docs/ci.md: \(diagnostics.sorted.map(\.text))")
        }
    }

    /// The built binary, when `swift build` has made one: the same three exit codes.
    @Test func binaryExitCodes() throws {
        let binary = RepoPaths.path(".build/debug/agentpath")
        guard FileManager.default.isExecutableFile(atPath: binary) else { return }
        let env = "AGENTPATH_HOME=\(RepoPaths.root.path)"
        #expect(try RepoPaths.run([env, binary, "check", RepoPaths.path("models/devops-pipeline-hardened.yaml")]).status == 0)
        #expect(try RepoPaths.run([env, binary, "check", RepoPaths.path("models/coding-assistant.yaml")]).status == 1)
        #expect(try RepoPaths.run([env, binary, "check", RepoPaths.path("Tests/AgentPathTests/Fixtures/smoke-invalid.yaml")]).status == 2)
        #expect(try RepoPaths.run([env, binary, "check", "--fail-on", "severe", Self.head]).status == 2)
        #expect(try RepoPaths.run([env, binary, "check", "--no-such-option", Self.head]).status == 2)
    }
}
