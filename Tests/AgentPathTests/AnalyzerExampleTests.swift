import Foundation
import Testing
@testable import AgentPath

/// What the example models in models/ promise in models/README.md.
@Suite("Analyzer: example models") struct AnalyzerExampleTests {
    @Test func codingAssistantLeaksPrivateReposThroughAPullRequest() throws {
        let path = AnalyzerFixtures.example("coding-assistant")
        let a = try AnalyzerFixtures.analyze(path)
        // Found by what it is (rule, entry, impact), never by its position in the report.
        let matches = a.findings("AP001").filter { $0.entry == "public-issues" && $0.impact == "confidential 'private-repos' leaks" }
        try #require(matches.count == 1, "AP001 findings:\n\(a.describe(a.findings("AP001")))")
        let f = matches[0]
        #expect(f.fingerprint == Fingerprint.of(["AP001", "private-repos"]))
        #expect(f.status == .open)
        #expect(f.severity == .critical)
        #expect(f.techniques == [.ingestUntrusted, .readSensitive, .publicWrite], "\(a.describe([f]))")
        #expect(f.elements == ["assistant", "assistant", "assistant"])
        #expect(f.vias == ["gh.read_issues", "gh.read_code", "gh.open_pr"])
        #expect(f.steps[2].effect == .write)
        #expect(f.steps[2].text.contains("public-audience 'public-repos'"), "\(f.steps[2].text)")
        // Each step points at the reference that makes it possible.
        #expect(a.at(f.steps[0].location) == "coding-assistant.yaml:\(try AnalyzerFixtures.line(of: "reads: [public-issues]", in: path))")
        #expect(a.at(f.steps[1].location) == "coding-assistant.yaml:\(try AnalyzerFixtures.line(of: "reads: [private-repos, public-repos]", in: path))")
        #expect(a.at(f.steps[2].location) == "coding-assistant.yaml:\(try AnalyzerFixtures.line(of: "writes: [private-repos, public-repos]", in: path))")
        // The allow-always IDE confirmation stands in the way of nothing.
        #expect(f.steps[2].controls.map(\.strength) == [.bypassed])
        #expect(f.mitigatingControls.isEmpty && f.reducingControls.isEmpty)
        #expect(f.cuts.contains { $0.kind == .quarantine && $0.target == "assistant" })
    }

    @Test func hardenedPipelineHasNoOpenOrReducedSevereFinding() throws {
        let a = try AnalyzerFixtures.analyze(AnalyzerFixtures.example("devops-pipeline-hardened"))
        let severe = a.result.findings.filter { $0.status != .mitigated && $0.severity >= .high }
        #expect(severe.isEmpty, "open or reduced critical/high findings:\n\(a.describe(severe))\nremaining findings:\n\(a.describe(a.result.findings.filter { $0.status != .mitigated }))")
        // What the README says remains: paths from `web`, all mitigated; one governance finding.
        #expect(a.result.paths.allSatisfy { $0.status == .mitigated }, "\(a.describe(a.result.paths))")
    }

    /// Sanity over every example: fingerprints are unique and every step has a location in
    /// the model's file.
    @Test(arguments: ["coding-assistant", "support-agent", "devops-pipeline", "devops-pipeline-hardened"])
    func findingsAreWellFormed(_ name: String) throws {
        let a = try AnalyzerFixtures.analyze(AnalyzerFixtures.example(name))
        let prints = a.result.findings.map(\.fingerprint)
        #expect(Set(prints).count == prints.count, "duplicate fingerprints")
        for f in a.result.findings {
            #expect(f.location.isKnown, "\(a.describe([f]))")
            for s in f.steps { #expect(s.location.isKnown && s.location.line > 0, "\(f.rule) step '\(s.text)' has no location") }
            #expect(f.pathCount >= 1 && f.pathCount <= a.result.limits.pathsPerGroup)
            #expect(f.isPath == !f.steps.isEmpty)
            if f.status == .mitigated { #expect(!f.mitigatingControls.isEmpty) } else { #expect(f.mitigatingControls.isEmpty) }
            if f.status == .reduced { #expect(!f.reducingControls.isEmpty) }
        }
    }
}
