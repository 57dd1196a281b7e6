import Foundation
import Testing
@testable import AgentPath

/// Bad catalog and crosswalk data: every problem is reported with its file, line, column and text.
@Suite struct FrameworksLoaderTests {
    typealias F = FrameworkFixtures

    /// `file:line:col: CODE message` for each diagnostic, with the fixture folder cut from the path.
    func report(_ fixture: String, withBuiltin: Bool = false) -> [String] {
        let dir = F.badDirectory + "/" + fixture
        let (_, diagnostics) = F.load((withBuiltin ? [F.builtinDirectory] : []) + [dir])
        return diagnostics.map { d in
            let path = (d.path ?? "?").replacingOccurrences(of: dir + "/", with: "")
            return "\(path):\(d.location.line):\(d.location.column): \(d.code.rawValue) \(d.message)"
        }
    }

    @Test func fileThatIsNeitherCatalogNorCrosswalk() {
        #expect(report("not-a-framework-file") == [
            "notes.yaml:1:1: E0401 neither a catalog (top key `catalog`) nor a crosswalk (top key `version`); add `catalog: <key>`",
        ])
    }

    @Test func duplicateCatalogKeysAndPrefixes() {
        let lines = report("duplicate-catalog")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("b.yaml:1:10: E0402 catalog 'acme' is defined twice; the first is at ") == true)
        #expect(lines.first?.hasSuffix("duplicate-catalog/a.yaml:1:10") == true)
        #expect(lines.last?.hasPrefix("c.yaml:2:9: E0402 prefix 'acme' of catalog 'acme-extra' is already the prefix of catalog 'acme'") == true)
    }

    @Test func duplicateItemsUnknownParentsAndLoops() {
        #expect(report("items") == [
            "catalog.yaml:13:5: E0403 item 'AC-1.1' is defined twice in catalog 'acme'; the first is at line 9",
            "catalog.yaml:19:13: E0404 parent 'AC-9' of item 'AC-1.2' is not an item of catalog 'acme'; did you mean 'AC-1'?",
            "catalog.yaml:23:13: E0404 the parent chain of item 'AC-3' in catalog 'acme' loops: AC-3 → AC-4 → AC-3",
            "catalog.yaml:27:13: E0404 the parent chain of item 'AC-4' in catalog 'acme' loops: AC-4 → AC-3 → AC-4",
        ])
    }

    /// The negative crosswalk: unknown catalog keys, ids, rules, control kinds and steps, and a rule
    /// listed twice, each at the exact line and column, loaded beside the built-in catalogs.
    @Test func crosswalkNamingUnknownThingsFails() {
        let lines = report("crosswalk", withBuiltin: true)
        #expect(lines == [
            "acme.yaml:7:83: E0406 'ASI11' is not an item of catalog 'owasp-asi-2026' in maps_to of item 'AC-2'; did you mean 'ASI10'?",
            "crosswalk.yaml:6:7: E0405 unknown catalog 'acm' in rules entry 'AP001'; did you mean 'acme'?",
            "crosswalk.yaml:9:14: E0406 'AC-3' is not an item of catalog 'acme' in rules entry 'AP002'; did you mean 'AC-1'?",
            "crosswalk.yaml:9:20: E0406 'ASI01' is not an item of catalog 'acme' in rules entry 'AP002'; it is an item of catalog 'owasp-asi-2026'",
            "crosswalk.yaml:10:11: E0407 unknown rule 'AP011' in the crosswalk; did you mean 'AP001'?",
            "crosswalk.yaml:13:11: E0410 'AP001' is listed twice in 'rules' of this crosswalk; the first is at line 3; merge the two",
            "crosswalk.yaml:17:11: E0408 unknown control kind 'human_aproval' in the crosswalk; expected \(listing(ControlKind.allCases.map(\.rawValue))); did you mean 'human_approval'?",
            "crosswalk.yaml:21:11: E0409 unknown step technique 'egres' in the crosswalk; expected \(listing(Crosswalk.stepTechniqueNames)); did you mean 'egress'?",
        ])
    }

    /// What does resolve is kept: AP001 → acme AC-1, and the built-in mappings of AP001 are intact.
    @Test func unresolvedEntriesAreDroppedTheRestKept() {
        let (set, _) = F.load([F.builtinDirectory, F.badDirectory + "/crosswalk"])
        let ap001 = set.crosswalk.refs(rule: "AP001")
        #expect(ap001.contains(FrameworkRef(catalog: "acme", id: "AC-1")))
        #expect(ap001.contains(FrameworkRef(catalog: "owasp-asi-2026", id: "ASI01")))
        #expect(!ap001.contains { $0.catalog == "acm" })
        #expect(set.crosswalk.rules["AP011"] == nil)
        #expect(set.crosswalk.refs(rule: "AP002").filter { $0.catalog == "acme" }.isEmpty)
    }

    @Test func rulesComeFromTheCaller() {
        // Without AP001 in the registry, its built-in entry is an unknown rule.
        let (_, diagnostics) = F.load([F.builtinDirectory], knownRules: F.rules.subtracting(["AP001"]))
        #expect(diagnostics.map(\.code) == [.unknownRule])
        #expect(diagnostics.first?.location.line == 15)
        #expect(diagnostics.first?.path?.hasSuffix("frameworks/crosswalk.yaml") == true)
    }

    @Test func wrongShapesUseTheModelCodes() {
        #expect(report("shape") == [
            "catalog.yaml:1:1: E0104 catalog 'acme' is missing required key 'title'",
            "catalog.yaml:3:1: E0103 unknown key 'titel' in catalog 'acme'; did you mean 'title'?",
            "catalog.yaml:5:11: E0102 'verified' in catalog 'acme' must be true or false (YAML 1.2: only true and false are booleans), found a string",
            "catalog.yaml:9:12: E0102 'title' in item 'AC-1' of catalog 'acme' must be a string, found a list",
            "catalog.yaml:11:23: E0102 'maps_to' → 'owasp-asi-2026' in item 'AC-1' of catalog 'acme' must be a list of ids (write [ASI01]), found a string",
            "crosswalk.yaml:1:10: E0101 unsupported crosswalk version '2'; this tool reads crosswalk version 1",
        ])
    }

    @Test func malformedKeysPrefixesAndIDs() {
        #expect(report("invalid-ids") == [
            "catalog.yaml:1:10: E0411 invalid catalog key 'ACME Controls'; a catalog key matches [a-z0-9][a-z0-9._-]* (e.g. acme-ai-controls)",
            "ok.yaml:6:11: E0411 invalid item id ' AC-1' in catalog 'acme-ok'; an id is non-empty, one line, without leading or trailing spaces",
            "prefix.yaml:2:9: E0411 invalid prefix 'AC:ME' in catalog 'acme'; a prefix is letters, digits, '-' and '_', starting with a letter (e.g. ACME)",
            "prefix.yaml:6:11: E0411 invalid item id ' AC-1' in catalog 'acme'; an id is non-empty, one line, without leading or trailing spaces",
        ])
    }

    @Test func missingDirectoryIsReported() {
        let (set, diagnostics) = F.load([F.badDirectory + "/no-such-folder"])
        #expect(set.catalogs.isEmpty)
        #expect(diagnostics.map(\.code) == [.fileUnreadable])
    }

    /// Entries for one rule in several files merge; a user crosswalk extends a built-in rule.
    @Test func crosswalksFromSeveralDirectoriesMerge() throws {
        let (set, diagnostics) = F.withCustom
        #expect(diagnostics.map(\.text) == [])
        let ap003 = set.crosswalk.refs(rule: "AP003")
        let builtinOnly = F.builtin.set.crosswalk.refs(rule: "AP003")
        #expect(Array(ap003.prefix(builtinOnly.count)) == builtinOnly)
        #expect(ap003.dropFirst(builtinOnly.count).map(\.id) == ["AAC-ID-02", "AAC-ID-01"])
        #expect(set.crosswalk.refs(control: .jitCredentials).contains(FrameworkRef(catalog: "acme-ai-controls", id: "AAC-ID-01")))
    }

    /// Every code this loader adds has its `## CODE` section in docs/diagnostics.md.
    @Test func newCodesAreDocumented() throws {
        let page = try String(contentsOfFile: F.repository + "/docs/diagnostics.md", encoding: .utf8)
        let headings = Set(page.split(separator: "\n").filter { $0.hasPrefix("#") }.map { $0.split(separator: " ").dropFirst().first.map(String.init) ?? "" })
        let codes = DiagnosticCode.allCases.filter { $0.rawValue.hasPrefix("E04") }
        #expect(codes.count == 11)
        for code in codes { #expect(headings.contains(code.rawValue), "docs/diagnostics.md has no heading for \(code.rawValue)") }
    }

    /// Every E04 code is produced by one of the fixtures above.
    @Test func everyNewCodeHasAFixture() {
        var seen = Set<DiagnosticCode>()
        for fixture in ["not-a-framework-file", "duplicate-catalog", "items", "crosswalk", "invalid-ids"] {
            let (_, diagnostics) = F.load((fixture == "crosswalk" ? [F.builtinDirectory] : []) + [F.badDirectory + "/" + fixture])
            seen.formUnion(diagnostics.map(\.code))
        }
        for code in DiagnosticCode.allCases where code.rawValue.hasPrefix("E04") {
            #expect(seen.contains(code), "\(code.rawValue) is triggered by no fixture")
        }
    }
}
