import Foundation
import Testing
@testable import AgentPath

/// `frameworks show` lookups, the show and coverage reports, and the custom catalog example.
@Suite struct FrameworksQueryTests {
    typealias F = FrameworkFixtures
    var set: FrameworkSet { F.builtin.set }

    func ref(_ catalog: String, _ id: String) -> FrameworkRef { FrameworkRef(catalog: catalog, id: id) }

    @Test(arguments: [
        ("ASI03", "owasp-asi-2026", "ASI03"),
        ("asi03", "owasp-asi-2026", "ASI03"),
        ("owasp-asi-2026:ASI03", "owasp-asi-2026", "ASI03"),
        ("NIST:GOVERN-1.1", "nist-ai-rmf", "GOVERN 1.1"),
        ("nist:govern 1.1", "nist-ai-rmf", "GOVERN 1.1"),
        ("GOVERN 1.1", "nist-ai-rmf", "GOVERN 1.1"),
        ("GOVERN-1.1", "nist-ai-rmf", "GOVERN 1.1"),
        ("MEASURE 2.10", "nist-ai-rmf", "MEASURE 2.10"),
        ("AML.T0051.001", "mitre-atlas", "AML.T0051.001"),
        ("aml.t0051.001", "mitre-atlas", "AML.T0051.001"),
        ("ATLAS:AML.M0029", "mitre-atlas", "AML.M0029"),
        ("LLM06:2025", "owasp-llm-2025", "LLM06:2025"),
        ("LLM:LLM06:2025", "owasp-llm-2025", "LLM06:2025"),
        ("TM:T3", "owasp-agentic-threats", "T3"),
        ("T3", "owasp-agentic-threats", "T3"),
        ("playbook-4", "owasp-agentic-threats", "Playbook 4"),
        ("MAESTRO:L3", "csa-maestro", "L3"),
        ("L3:Input Validation Attacks", "csa-maestro", "L3:Input Validation Attacks"),
        ("MAESTRO:L3:input validation attacks", "csa-maestro", "L3:Input Validation Attacks"),
        ("cross-layer", "csa-maestro", "Cross-Layer"),
        ("NIST600:GAI-2.9", "nist-ai-600-1", "GAI-2.9"),
        ("NHI7:2025", "owasp-nhi-2025", "NHI7:2025"),
    ])
    func lookupFindsTheItem(_ query: String, _ catalog: String, _ id: String) {
        #expect(set.lookup(query) == .found(ref(catalog, id), note: nil))
    }

    @Test func bareEditionlessIDIsFoundWithANote() {
        guard case .found(let r, let note) = set.lookup("LLM06") else {
            Issue.record("LLM06 not found")
            return
        }
        #expect(r == ref("owasp-llm-2025", "LLM06:2025"))
        #expect(note == "'LLM06' is written 'LLM06:2025': ids of this catalog carry their edition")
        #expect(set.lookup("NHI1") == .found(ref("owasp-nhi-2025", "NHI1:2025"), note: "'NHI1' is written 'NHI1:2025': ids of this catalog carry their edition"))
    }

    @Test func unknownIDsGetADidYouMean() {
        #expect(set.lookup("ASI11") == .notFound(suggestion: "ASI10"))
        #expect(set.lookup("AML.T0051.003") == .notFound(suggestion: "AML.T0051.000"))
        #expect(set.lookup("AML.T0O51.001") == .notFound(suggestion: "AML.T0051.001"))
        #expect(set.lookup("NIST:GOVERN 1.9") == .notFound(suggestion: "NIST:GOVERN 1.1"))
        #expect(set.lookup("completely unrelated words") == .notFound(suggestion: nil))
        #expect(set.lookup("  ") == .notFound(suggestion: nil))
    }

    @Test func anIDInSeveralCatalogsIsAmbiguous() {
        let (set, diagnostics) = F.load([F.builtinDirectory, F.testsDirectory + "/Fixtures/frameworks-ambiguous"])
        #expect(diagnostics.isEmpty)
        let both = [ref("owasp-agentic-threats", "T3"), ref("other-threats", "T3")]
        #expect(set.lookup("T3") == .ambiguous(both))
        #expect(set.lookup("TM:T3") == .found(both[0], note: nil))
        #expect(set.lookup("other:t3") == .found(both[1], note: nil))
        #expect(set.lookup("X1") == .found(ref("other-threats", "X1"), note: nil))
        let text = FrameworkReport(set).ambiguousText("T3", both)
        #expect(text.contains("TM:T3  Privilege Compromise  (owasp-agentic-threats)"))
        #expect(text.contains("OTHER:T3  Token replay  (other-threats)"))
    }

    /// Official mappings read both ways: ASI01 → T6 (the ASI appendix) and T6 ← ASI01.
    @Test func officialMappingsBothDirections() {
        #expect(set.mapsTo(ref("owasp-asi-2026", "ASI01")).contains(ref("owasp-agentic-threats", "T6")))
        #expect(set.mappedFrom(ref("owasp-agentic-threats", "T6")).contains(ref("owasp-asi-2026", "ASI01")))
        #expect(!set.mapsTo(ref("owasp-agentic-threats", "T6")).contains(ref("owasp-asi-2026", "ASI01")))
        let report = FrameworkReport(set)
        func lines(_ r: FrameworkRef) -> [[String]] {
            report.showText(r).split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        }
        #expect(lines(ref("owasp-asi-2026", "ASI01")).contains(["→", "owasp-agentic-threats", "T6", "Intent", "Breaking", "&", "Goal", "Manipulation"]))
        #expect(lines(ref("owasp-agentic-threats", "T6")).contains(["←", "owasp-asi-2026", "ASI01", "Agent", "Goal", "Hijack"]))
        #expect(lines(ref("owasp-agentic-threats", "T6")).contains(["←", "csa-maestro", "Cross-Layer:Planning", "and", "Reflection", "Exploitation"]))
    }

    @Test func showASI03() {
        let r = ref("owasp-asi-2026", "ASI03")
        #expect(set.rules(mappingTo: r) == ["AP003", "AP004", "AP008", "AP009", "GV003", "GV004", "GV005", "GV008"])
        #expect(set.controls(mappingTo: r) == [])
        let text = FrameworkReport(set).showText(r)
        #expect(text.hasPrefix("ASI03 — Identity and Privilege Abuse\n"))
        #expect(text.contains("catalog      owasp-asi-2026 (ASI) — OWASP Top 10 for Agentic Applications, edition 2026\n"))
        #expect(text.contains("detected by rules      AP003, AP004, AP008, AP009, GV003, GV004, GV005, GV008\n"))
        #expect(text.contains("runtime_authorization, jit_credentials (via T3)"))
        #expect(text.contains("  ←  owasp-nhi-2025         NHI5:2025   Overprivileged NHI\n"))
    }

    @Test func showListsControlsStepsParentsAndChildren() throws {
        #expect(set.controls(mappingTo: ref("owasp-llm-2025", "LLM01:2025")) == ["quarantine", "input_isolation"])
        #expect(set.controls(mappingTo: ref("mitre-atlas", "AML.M0029")) == ["human_approval"])
        #expect(set.steps(mappingTo: ref("mitre-atlas", "AML.T0051.001")) == ["ingest-untrusted", "return", "memory-read"])
        #expect(set.steps(mappingTo: ref("csa-maestro", "L2")) == ["read-sensitive", "egress", "public-write", "memory-write", "memory-read"])
        #expect(set.children(of: ref("nist-ai-rmf", "GOVERN 1")).map(\.id) == (1...7).map { "GOVERN 1.\($0)" })
        let text = FrameworkReport(set).showText(ref("nist-ai-rmf", "GOVERN 1.6"))
        #expect(text.contains("(agentpath's title; the publisher gives none)"))
        #expect(text.contains("parent       GOVERN 1  AI risk policies and practices\n"))
        let json = FrameworkReport(set).showJSON(ref("mitre-atlas", "AML.T0051.001")).rendered()
        #expect(json.contains("\"qualified\": \"ATLAS:AML.T0051.001\""))
        #expect(json.contains("\"coverage\": \"detected\""))
        #expect(json.contains("\"steps\": [\n    \"ingest-untrusted\",\n    \"return\",\n    \"memory-read\"\n  ]"))
    }

    @Test func showSaysWhyAnItemIsNotDetected() {
        let report = FrameworkReport(set)
        #expect(report.showText(ref("nist-ai-600-1", "GAI-2.1")).contains("coverage               out of scope: Risks of what a generative model produces"))
        #expect(report.showText(ref("owasp-asi-2026", "ASI09")).contains("coverage               not detected by any rule (a gap)"))
        #expect(report.showText(ref("nist-ai-rmf", "GOVERN 1")).contains("coverage               a group: 1 of 7 of its items detected"))
    }

    @Test func coverageBucketsEveryItemOnce() throws {
        let coverage = set.coverage()
        #expect(coverage.map(\.catalog) == set.catalogs.map(\.key))
        for cov in coverage {
            let ids = cov.detected.map(\.id) + cov.groups.map(\.id) + cov.outOfScope.map(\.id) + cov.gaps.map(\.id)
            #expect(ids.count == cov.total && Set(ids).count == cov.total, "\(cov.catalog): every item in exactly one bucket")
            #expect(cov.byKind.reduce(0) { $0 + $1.detected } == cov.detected.count)
        }
        let asi = try #require(coverage.first { $0.catalog == "owasp-asi-2026" })
        #expect(asi.detected.map(\.id) == ["ASI01", "ASI02", "ASI03", "ASI04", "ASI05", "ASI06", "ASI07", "ASI08", "ASI10"])
        #expect(asi.gaps.map(\.id) == ["ASI09"])
        let nist = try #require(coverage.first { $0.catalog == "nist-ai-rmf" })
        #expect(nist.groups.count == 23)
        #expect(nist.byKind.first { $0.kind == "subcategory" }?.detected == 19)
        #expect(nist.groups.first { $0.id == "GOVERN" } == CatalogCoverage.Group(id: "GOVERN", detected: 5, total: 19))
        let atlas = try #require(coverage.first { $0.catalog == "mitre-atlas" })
        #expect(atlas.outOfScope.filter { set.item(ref("mitre-atlas", $0.id))?.kind == "tactic" }.count == 16)
        let llm = try #require(coverage.first { $0.catalog == "owasp-llm-2025" })
        #expect(llm.gaps.map(\.id) == ["LLM07:2025", "LLM10:2025"])
        #expect(llm.gaps.last?.controls == ["rate_limit"])
    }

    @Test func coverageReports() throws {
        let report = FrameworkReport(set)
        let text = report.coverageText(catalogs: ["owasp-asi-2026"])
        #expect(text.contains("owasp-asi-2026 (ASI) — OWASP Top 10 for Agentic Applications 2026\n  9 of 10 detected; 0 groups, 0 out of scope, 1 gap\n"))
        #expect(text.contains("    ASI03  Identity and Privilege Abuse  ← AP003, AP004, AP008, AP009, GV003, GV004, GV005, GV008\n"))
        #expect(text.contains("  gaps (1):\n    ASI09  Human-Agent Trust Exploitation\n"))
        #expect(!text.contains("mitre-atlas"))
        let json = report.coverageJSON().rendered()
        #expect(json.contains("\"key\": \"nist-ai-600-1\""))
        #expect(json.contains("\"id\": \"GAI-2.5\",\n          \"reason\": \"Compute and energy use are not part of the model language.\""))
    }

    @Test func listReport() {
        let text = FrameworkReport(set).listText()
        #expect(text.hasPrefix("KEY "))
        #expect(text.contains("nist-ai-rmf            NIST     1.0         95     4 function, 19 category, 72 subcategory"))
        #expect(text.contains("8 catalogs, 475 items."))
        let json = FrameworkReport(set).listJSON().rendered()
        #expect(json.contains("\"kinds\": {\n        \"layer\": 8,\n        \"threat\": 86\n      }"))
    }

    /// docs/examples/custom-frameworks: a user catalog and crosswalk beside the built-in ones.
    @Test func customCatalogExample() throws {
        let (set, diagnostics) = F.withCustom
        #expect(diagnostics.map(\.text) == [])
        #expect(set.catalogs.last?.key == "acme-ai-controls")
        let r = ref("acme-ai-controls", "AAC-ID-01")
        #expect(set.lookup("AAC-ID-01") == .found(r, note: nil))
        #expect(set.lookup("acme:aac-id-01") == .found(r, note: nil))
        #expect(set.rules(mappingTo: r) == ["AP003", "AP008"])
        #expect(set.controls(mappingTo: r) == ["jit_credentials"])
        #expect(set.mappedFrom(ref("owasp-asi-2026", "ASI03")).contains(r))
        let text = FrameworkReport(set).showText(r)
        #expect(text.contains("AAC-ID-01 — Short-lived, task-scoped agent credentials\n"))
        #expect(text.contains("detected by rules      AP003, AP008\n"))
        #expect(text.contains("mitigated by controls  jit_credentials\n"))
        #expect(text.contains("parent       AAC-ID  Identity and access\n"))
        let cov = try #require(set.coverage().first { $0.catalog == "acme-ai-controls" })
        #expect(cov.detected.count == 6 && cov.groups.count == 3 && cov.gaps.isEmpty)
    }
}
