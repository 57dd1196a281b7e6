import Foundation
import Testing
@testable import AgentPath

/// benchmarks/gen_model.py must keep producing valid, reproducible models, or the numbers in
/// docs/performance.md stop meaning anything.
@Suite("Benchmark model generator")
struct GeneratorTests {
    static let script = Paths.inPackage("benchmarks/gen_model.py")

    func generate(_ n: Int, seed: Int, topology: String = "flat", to path: String) throws {
        let r = try runProcess("/usr/bin/env", ["python3", Self.script, String(n), "--seed", String(seed), "--topology", topology, "-o", path])
        if r.status != 0 {
            Issue.record("GENERATOR DID NOT RUN (exit \(r.status)); it needs python3.\n\(r.stderr)")
        }
    }

    @Test func generatedModelIsValidWithoutWarnings() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("gen.yaml")
        try generate(600, seed: 7, to: path)
        let outcome = load(path)
        let model = try #require(outcome.model, "\(outcome.listing.prefix(2000))")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing.prefix(2000))")
        // About the number of elements asked for, of every kind.
        #expect(abs(model.model.elementCount - 600) < 30, "\(model.model.elementCount)")
        for kind in ElementKind.allCases {
            #expect(model.model.allElements.contains { $0.kind == kind }, "no \(kind.section)")
        }
        #expect(model.model.agents.contains { !$0.delegates.isEmpty })
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let dir = try TemporaryDirectory()
        try generate(300, seed: 1, to: dir.file("a.yaml"))
        try generate(300, seed: 1, to: dir.file("b.yaml"))
        try generate(300, seed: 2, to: dir.file("c.yaml"))
        let a = FileManager.default.contents(atPath: dir.file("a.yaml"))
        #expect(a != nil && !a!.isEmpty)
        #expect(a == FileManager.default.contents(atPath: dir.file("b.yaml")))
        #expect(a != FileManager.default.contents(atPath: dir.file("c.yaml")))
    }

    /// The realistic topology (benchmarks/run.sh): valid, deterministic, with delegation trees
    /// several levels deep, shared MCP servers, shared credentials and untrusted inputs.
    @Test func realisticTopologyIsValidDeepAndShared() throws {
        let dir = try TemporaryDirectory()
        try generate(1000, seed: 3, topology: "realistic", to: dir.file("r.yaml"))
        try generate(1000, seed: 3, topology: "realistic", to: dir.file("s.yaml"))
        #expect(FileManager.default.contents(atPath: dir.file("r.yaml")) == FileManager.default.contents(atPath: dir.file("s.yaml")))
        let outcome = load(dir.file("r.yaml"))
        let model = try #require(outcome.model, "\(outcome.listing.prefix(2000))")
        #expect(outcome.diagnostics.isEmpty, "\(outcome.listing.prefix(2000))")
        let m = model.model
        #expect(abs(m.elementCount - 1000) < 100, "\(m.elementCount)")
        // Delegation depth: the longest chain of delegations from any agent.
        let children = Dictionary(uniqueKeysWithValues: m.agents.map { ($0.info.id, $0.delegates.map(\.to.id)) })
        func depth(_ id: String) -> Int { 1 + ((children[id] ?? []).map(depth).max() ?? 0) }
        #expect((m.agents.map { depth($0.info.id) }.max() ?? 0) >= 4)
        // MCP servers shared by many tools; credentials held by several agents.
        #expect(m.mcpServers.count * 5 < m.tools.count)
        var holders: [String: Int] = [:]
        for a in m.agents { for c in a.credentials { holders[c.id, default: 0] += 1 } }
        #expect(holders.values.contains { $0 >= 5 })
        #expect(m.data.contains { $0.trust == .untrusted })
    }
}
