import Foundation
import Testing
@testable import AgentPath

/// The built-in catalogs against the reference lists: exact id sets, titles, parents, official mappings.
@Suite struct FrameworksCatalogTests {
    typealias F = FrameworkFixtures

    @Test func builtinDataLoadsWithoutDiagnostics() {
        #expect(F.builtin.diagnostics.map(\.text) == [])
        #expect(F.builtin.set.catalogs.map(\.key).sorted() == F.builtinCatalogKeys)
    }

    @Test(arguments: FrameworkFixtures.builtinCatalogKeys)
    func catalogMatchesExpectedList(_ key: String) throws {
        let catalog = try #require(F.builtin.set.catalog(key))
        let expected = try F.expected(key)
        #expect(Set(catalog.items.map(\.id)) == Set(expected.map(\.id)), "id set of \(key)")
        #expect(catalog.items.count == expected.count, "\(key) defines an id twice")
        for row in expected {
            guard let item = catalog.item(row.id) else { continue }
            if let title = row.title {
                #expect(item.title == title, "title of \(row.id)")
                #expect(item.officialTitle, "\(row.id) has an official title")
            } else {
                #expect(!item.officialTitle, "\(row.id): the publisher gives no title, so ours must be marked official_title: false")
            }
            if !row.kind.isEmpty { #expect(item.kind == row.kind, "kind of \(row.id)") }
            #expect((item.parent ?? "") == row.parent, "parent of \(row.id)")
            #expect(F.mapsText(item.mapsTo) == row.maps, "official maps_to of \(row.id)")
        }
    }

    /// The committed expected lists are the reference, when the reference is beside the clone.
    @Test(arguments: FrameworkFixtures.builtinCatalogKeys)
    func expectedListMatchesSharedReference(_ key: String) throws {
        guard FileManager.default.fileExists(atPath: F.referenceDirectory + "/\(key).yaml") else { return }
        let derived = try ReferenceRows.derive(key, from: F.referenceDirectory)
        let committed = try F.expected(key)
        #expect(derived.map(\.description) == committed.map(\.description),
                "Fixtures/frameworks-expected/\(key).tsv is out of date; run generate.py")
    }

    @Test func identifierSetsAreExact() throws {
        let set = F.builtin.set
        func ids(_ key: String, kind: String? = nil) -> [String] {
            (set.catalog(key)?.items ?? []).filter { kind == nil || $0.kind == kind }.map(\.id)
        }
        #expect(ids("owasp-asi-2026") == (1...10).map { String(format: "ASI%02d", $0) })
        #expect(ids("owasp-agentic-threats", kind: "threat") == (1...17).map { "T\($0)" })
        #expect(ids("owasp-agentic-threats", kind: "playbook") == (1...6).map { "Playbook \($0)" })
        #expect(ids("owasp-llm-2025") == (1...10).map { String(format: "LLM%02d:2025", $0) })
        #expect(ids("owasp-nhi-2025") == (1...10).map { "NHI\($0):2025" })
        #expect(ids("nist-ai-600-1") == (1...12).map { "GAI-2.\($0)" })
        #expect(ids("csa-maestro", kind: "layer") == (1...7).map { "L\($0)" } + ["Cross-Layer"])
        #expect(ids("nist-ai-rmf", kind: "function") == ["GOVERN", "MAP", "MEASURE", "MANAGE"])
        #expect(ids("nist-ai-rmf", kind: "category").count == 19)
        let subcategories = ids("nist-ai-rmf", kind: "subcategory")
        #expect(subcategories.count == 72)
        // GOVERN 19, MAP 18, MEASURE 22, MANAGE 13.
        for (function, count) in [("GOVERN", 19), ("MAP", 18), ("MEASURE", 22), ("MANAGE", 13)] {
            #expect(subcategories.filter { $0.hasPrefix(function + " ") }.count == count, "\(function) subcategories")
        }
        let atlas = try #require(set.catalog("mitre-atlas")).kindCounts.map { "\($0.kind) \($0.count)" }
        #expect(atlas == ["tactic 16", "technique 101", "subtechnique 69", "mitigation 35"])
        // Every MAESTRO threat key is "<layer>:<threat title>" under that layer.
        for item in set.catalog("csa-maestro")!.items where item.kind == "threat" {
            #expect(item.id == "\(item.parent ?? "?"):\(item.title)", "MAESTRO key \(item.id)")
        }
    }

    /// `show` compares ids in normalised form; within a catalog no two ids may collide.
    @Test func normalisedIDsAreUniqueWithinEachCatalog() {
        for catalog in F.builtin.set.catalogs {
            var seen: [String: String] = [:]
            for item in catalog.items {
                let n = FrameworkSet.normalizeID(item.id)
                #expect(seen[n] == nil, "\(catalog.key): '\(item.id)' and '\(seen[n] ?? "")' normalise alike")
                seen[n] = item.id
            }
        }
    }

    @Test func prefixesAreUnique() {
        let prefixes = F.builtin.set.catalogs.map { $0.prefix.lowercased() }
        #expect(Set(prefixes).count == prefixes.count)
    }
}

/// The crosswalk: every id resolves, every rule, control kind and step is mapped as intended.
@Suite struct FrameworksCrosswalkTests {
    typealias F = FrameworkFixtures

    /// The crosswalk is written against the analyzer's registry and step techniques.
    @Test func crosswalkVocabularyIsTheAnalyzers() {
        let expected = Set((1...10).map { String(format: "AP%03d", $0) } + (1...9).map { String(format: "GV%03d", $0) })
        #expect(RuleRegistry.ids == expected)
        #expect(Crosswalk.stepTechniqueNames == StepTechnique.allCases.map(\.rawValue))
        #expect(Set(F.builtin.set.crosswalk.steps.keys) == Set(StepTechnique.allCases.map(\.rawValue)))
    }

    @Test func everyRuleAndControlKindIsMapped() {
        let cw = F.builtin.set.crosswalk
        #expect(Set(cw.rules.keys) == F.rules)
        #expect(Set(cw.controls.keys) == Set(ControlKind.allCases.map(\.rawValue)))
        for rule in F.rules.sorted() {
            let catalogs = Set(cw.refs(rule: rule).map(\.catalog))
            #expect(catalogs.isSuperset(of: ["owasp-asi-2026", "owasp-agentic-threats", "csa-maestro", "nist-ai-rmf", "mitre-atlas"]), "\(rule) maps to every primary catalog")
        }
    }

    /// Every reference in the crosswalk and in maps_to names a defined item (the loader drops and
    /// reports those that do not, so resolving again proves nothing was dropped silently).
    @Test func everyCrosswalkIDResolves() {
        let set = F.builtin.set
        let cw = set.crosswalk
        let refs = cw.rules.keys.flatMap { cw.refs(rule: $0) } + ControlKind.allCases.flatMap { cw.refs(control: $0) }
            + Crosswalk.stepTechniqueNames.flatMap { cw.refs(step: $0) }
            + set.catalogs.flatMap { c in c.items.flatMap { i in i.mapsTo.flatMap { k, v in v.map { FrameworkRef(catalog: k, id: $0) } } } }
        #expect(refs.count > 400)
        for ref in refs { #expect(set.item(ref) != nil, "\(ref.catalog) \(ref.id)") }
        #expect(F.builtin.diagnostics.isEmpty)
    }

    /// The raw crosswalk text names exactly the ids that survived loading: nothing was dropped.
    @Test func crosswalkFileCountsMatchLoadedCounts() throws {
        let text = try String(contentsOfFile: F.builtinDirectory + "/crosswalk.yaml", encoding: .utf8)
        let ruleEntries = text.split(separator: "\n").filter { $0.hasPrefix("  - rule: ") }.count
        let stepEntries = text.split(separator: "\n").filter { $0.hasPrefix("  - step: ") }.count
        #expect(ruleEntries == F.builtin.set.crosswalk.rules.count)
        #expect(stepEntries == F.builtin.set.crosswalk.steps.count)
    }

    @Test(arguments: Crosswalk.stepTechniqueNames)
    func stepMapsToATLASTechniquesAndOneMAESTROLayer(_ step: String) throws {
        let set = F.builtin.set
        let refs = set.crosswalk.refs(step: step)
        let atlas = refs.filter { $0.catalog == "mitre-atlas" }
        #expect(!atlas.isEmpty, "\(step) names ATLAS techniques")
        for ref in atlas {
            let kind = try #require(set.item(ref)).kind
            #expect(kind == "technique" || kind == "subtechnique", "\(step): \(ref.id) is a \(kind), not a technique")
        }
        let maestro = refs.filter { $0.catalog == "csa-maestro" }
        #expect(maestro.count == 1, "\(step) names exactly one MAESTRO layer")
        #expect(maestro.allSatisfy { set.item($0)?.kind == "layer" }, "\(step): MAESTRO entry is a layer")
        #expect(Set(refs.map(\.catalog)) == ["mitre-atlas", "csa-maestro"], "\(step) maps to ATLAS and MAESTRO only")
    }

    @Test func outOfScopeNeverContradictsDetection() {
        let set = F.builtin.set
        for cov in set.coverage() {
            for d in cov.detected {
                #expect(set.outOfScopeReason(FrameworkRef(catalog: cov.catalog, id: d.id)) == nil, "\(cov.catalog) \(d.id) is detected by \(d.rules) yet declared out of scope")
            }
        }
        #expect(set.crosswalk.outOfScope.allSatisfy { !$0.reason.isEmpty })
    }
}
