import Foundation
import Testing
@testable import AgentPath

/// Opens the report of every example model, and of the hostile-strings model, in headless
/// Chromium (Tests/browser/check_report.py over the DevTools protocol). Fails on any console
/// error, CSP violation, request or planted script execution; saves screenshots under
/// .build/report-check/. Chromium missing is a failure, never a skip: .ci/run installs it.
@Suite struct ReportBrowserTests {
    @Test func reportsOpenCleanlyInChromium() throws {
        let which = try RepoPaths.run(["sh", "-c", "command -v chromium || command -v chromium-browser"])
        #expect(which.status == 0, "chromium is not installed: the report cannot be checked in a browser. Install Debian's chromium (apt-get install chromium; .ci/run does this).")
        guard which.status == 0 else { return }
        let ws = try RepoPaths.run(["python3", "-c", "import websocket"])
        #expect(ws.status == 0, "the Python package websocket-client is missing (pip install -r .ci/requirements.txt): \(ws.output)")
        guard ws.status == 0 else { return }

        let dir = RepoPaths.path(".build/report-check")
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir + "/screenshots", withIntermediateDirectories: true)
        let templates = try ReportTemplates.load(directory: RepoPaths.path("templates/report"))
        // Each model under its agentpath.yaml and waivers, if it has them, as `report` renders it.
        func write(_ model: String, name: String? = nil, limits: ReportLimits = ReportLimits()) throws -> String {
            let diagnostics = DiagnosticCollector()
            let vm = try #require(Pipeline().load(path: model, diagnostics: diagnostics))
            let settings = try #require(GateSettings.load(model: model, .init(), frameworks: FrameworkFixtures.builtin.set, diagnostics: diagnostics))
            let result = Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(vm)
            let gate = settings.evaluate(result, today: CalendarDate.parse("2026-07-01")!)
            let html = ReportHTML.render(model: vm, analysis: result, frameworks: FrameworkFixtures.builtin.set, gate: gate, templates: templates, limits: limits)
            let out = dir + "/" + (name ?? URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent) + ".html"
            try html.write(toFile: out, atomically: true, encoding: .utf8)
            return out
        }
        // A waived path and an expired waiver (Fixtures/report/waived/).
        let examples = try RepoPaths.exampleModels.map { try write($0) }
            + [try write(RepoPaths.path("Tests/AgentPathTests/Fixtures/report/waived/model.yaml"), name: "waived")]
            // A large model's bounds on a small one: 5 paths in full, the rest in the path table,
            // the summarised diagram, capped inventory tables (docs/report.md, "Large models").
            + [try write(RepoPaths.path("models/devops-pipeline.yaml"), name: "bounded", limits: ReportLimits(detailedPaths: 5, tableRows: 30, diagramElements: 10, inventoryRows: 3))]
        let hostile = try write(RepoPaths.path("Tests/AgentPathTests/Fixtures/report/hostile-strings.yaml"))
        #expect(!examples.isEmpty)
        #expect(try String(contentsOfFile: examples[examples.count - 2], encoding: .utf8).contains("data-waived"))
        #expect(try String(contentsOfFile: examples.last!, encoding: .utf8).contains("class=\"prow\""))
        let run = try RepoPaths.run(["python3", RepoPaths.path("Tests/browser/check_report.py"), "--screenshots", dir + "/screenshots", "--hostile", hostile] + examples)
        #expect(run.status == 0, "the Chromium check failed:\n\(run.output)")
        #expect(run.output.contains("\(examples.count + 1) passed, 0 failed"), "\(run.output)")
        for name in examples.map({ URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent }) + ["hostile-strings"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/screenshots/\(name).png"), "no screenshot for \(name)")
        }
    }
}
