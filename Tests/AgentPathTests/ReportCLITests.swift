import Foundation
import Testing

/// `agentpath report` and `agentpath graph` from the command line (the binary swift test builds).
@Suite struct ReportCLITests {
    static let binary = RepoPaths.path(".build/debug/agentpath")
    static let model = RepoPaths.path("Tests/AgentPathTests/Fixtures/report/small.yaml")

    @Test func reportWritesHTMLAndMarkdown() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "no agentpath binary at \(Self.binary)")
        let out = RepoPaths.tempDir().appendingPathComponent("r.html").path
        let html = try RepoPaths.run([Self.binary, "report", Self.model, "-o", out])
        #expect(html.status == 0, "\(html.output)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.hasPrefix("<!DOCTYPE html>") && text.contains("Small assistant"))
        let md = try RepoPaths.run([Self.binary, "report", Self.model, "--format", "markdown", "--fail-on", "critical"])
        #expect(md.status == 0)
        #expect(md.output.contains("# Small assistant — agentpath threat model"))
        #expect(md.output.contains("**Gate: fail**"))
        let bad = try RepoPaths.run([Self.binary, "report", Self.model, "--fail-on", "sometimes"])
        #expect(bad.status == 2)
    }

    @Test func graphExportsDotAndMermaid() throws {
        let dot = try RepoPaths.run([Self.binary, "graph", Self.model, "--format", "dot"])
        #expect(dot.status == 0)
        #expect(dot.output.hasPrefix("digraph agentpath {") && dot.output.contains("cluster_0") && dot.output.contains(" -> "))
        let mermaid = try RepoPaths.run([Self.binary, "graph", Self.model, "--format", "mermaid"])
        #expect(mermaid.status == 0)
        #expect(mermaid.output.hasPrefix("flowchart LR") && mermaid.output.contains("subgraph z0"))
    }
}
