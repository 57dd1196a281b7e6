import Foundation
@testable import AgentPath

/// Fixtures for the framework-data codes (E0401-E0411): loading the folders under
/// Fixtures/frameworks-bad (the crosswalk beside the built-in catalogs) reports them.
enum FrameworkCodes {
    static func load(_ folder: String, withBuiltin: Bool = false) -> LoadOutcome {
        let (_, diagnostics) = FrameworkFixtures.load((withBuiltin ? [FrameworkFixtures.builtinDirectory] : []) + [Fixtures.path(folder)])
        return LoadOutcome(model: nil, reported: diagnostics)
    }

    static func entry(_ folder: String, _ file: String, _ line: Int32, _ column: Int32, _ message: CodeFixture.Message, builtin: Bool = false) -> CodeFixture {
        CodeFixture(fixture: folder, file: folder + "/" + file, line: line, column: column, message: message,
                    runner: { load(folder, withBuiltin: builtin) })
    }

    static let fixtures: [DiagnosticCode: CodeFixture] = [
        .frameworkFileKind: entry("frameworks-bad/not-a-framework-file", "notes.yaml", 1, 1,
            .exact("neither a catalog (top key `catalog`) nor a crosswalk (top key `version`); add `catalog: <key>`")),
        .duplicateCatalog: entry("frameworks-bad/duplicate-catalog", "b.yaml", 1, 10,
            .contains("catalog 'acme' is defined twice; the first is at ")),
        .duplicateCatalogItem: entry("frameworks-bad/items", "catalog.yaml", 13, 5,
            .exact("item 'AC-1.1' is defined twice in catalog 'acme'; the first is at line 9")),
        .unknownParent: entry("frameworks-bad/items", "catalog.yaml", 19, 13,
            .exact("parent 'AC-9' of item 'AC-1.2' is not an item of catalog 'acme'; did you mean 'AC-1'?")),
        .unknownCatalog: entry("frameworks-bad/crosswalk", "crosswalk.yaml", 6, 7,
            .exact("unknown catalog 'acm' in rules entry 'AP001'; did you mean 'acme'?"), builtin: true),
        .unknownCatalogItem: entry("frameworks-bad/crosswalk", "acme.yaml", 7, 83,
            .exact("'ASI11' is not an item of catalog 'owasp-asi-2026' in maps_to of item 'AC-2'; did you mean 'ASI10'?"), builtin: true),
        .unknownRule: entry("frameworks-bad/crosswalk", "crosswalk.yaml", 10, 11,
            .exact("unknown rule 'AP011' in the crosswalk; did you mean 'AP001'?"), builtin: true),
        .unknownControlKind: entry("frameworks-bad/crosswalk", "crosswalk.yaml", 17, 11,
            .contains("unknown control kind 'human_aproval' in the crosswalk; expected runtime_authorization, "), builtin: true),
        .unknownStepTechnique: entry("frameworks-bad/crosswalk", "crosswalk.yaml", 21, 11,
            .contains("unknown step technique 'egres' in the crosswalk; expected ingest-untrusted, "), builtin: true),
        .duplicateCrosswalkEntry: entry("frameworks-bad/crosswalk", "crosswalk.yaml", 13, 11,
            .exact("'AP001' is listed twice in 'rules' of this crosswalk; the first is at line 3; merge the two"), builtin: true),
        .invalidCatalogID: entry("frameworks-bad/invalid-ids", "catalog.yaml", 1, 10,
            .exact("invalid catalog key 'ACME Controls'; a catalog key matches [a-z0-9][a-z0-9._-]* (e.g. acme-ai-controls)")),
    ]
}
