import Foundation
import Testing
@testable import AgentPath

/// benchmarks/gen_model.py must keep producing valid, reproducible models, or the numbers in
/// docs/performance.md stop meaning anything.
@Suite("Benchmark model generator")
struct GeneratorTests {
    static let script = Paths.inPackage("benchmarks/gen_model.py")

    func generate(_ n: Int, seed: Int, to path: String) throws {
        let r = try runProcess("/usr/bin/env", ["python3", Self.script, String(n), "--seed", String(seed), "-o", path])
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
}
